import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StartAllResult } from '../harness/backends.js';
import { startControlServer } from '../harness/control.js';
import type { RabbitMQBackend } from '../harness/rabbitmq.js';

/** The control server of test/run.ts in front of a broker handle that records what it was asked. */
async function controlled() {
  const calls: string[] = [];
  const rabbitmq = {
    restart: async (o: { kill?: boolean; downtimeMs?: number }) => void calls.push(`restart kill=${o.kill} downtime=${o.downtimeMs}`),
    stopBroker: async (o: { kill?: boolean }) => void calls.push(`stop kill=${o.kill}`),
    startBroker: async () => void calls.push('start'),
    isRunning: () => true,
  } as unknown as RabbitMQBackend;
  const server = await startControlServer({ backends: { rabbitmq } } as unknown as StartAllResult);
  const base = server.env.SIDECAL_HARNESS_CONTROL_URL!;
  const post = async (url: string, body?: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, json: (await res.json()) as { ok?: boolean; result?: unknown; error?: string } };
  };
  return { calls, server, base, post };
}

test('harness control: actions run on the backend handle; bad token 403, unknown action 404', async (t) => {
  const { calls, server, base, post } = await controlled();
  t.after(() => server.close());
  assert.equal(server.env.SIDECAL_HARNESS_CONTROLLABLE, 'rabbitmq');
  assert.deepEqual(await post(`${base}/rabbitmq/restart`, '{"kill":true,"downtimeMs":50}'), { status: 200, json: { ok: true, result: null } });
  assert.deepEqual(await post(`${base}/rabbitmq/stop`), { status: 200, json: { ok: true, result: null } });
  assert.deepEqual(await post(`${base}/rabbitmq/status`, '{}'), { status: 200, json: { ok: true, result: { running: true } } });
  assert.deepEqual(calls, ['restart kill=true downtime=50', 'stop kill=false']);
  assert.equal((await post(`${base.replace(/\/[^/]+$/, '/not-the-token')}/rabbitmq/restart`)).status, 403);
  assert.equal((await post(`${base}/redis/restart`)).status, 404);
});

test('harness control: a body that is not a JSON object is a 400, and the server keeps serving', async (t) => {
  const { calls, server, base, post } = await controlled();
  t.after(() => server.close());
  for (const body of ['{not json', 'null', '[]', '"kill"', '42']) {
    const res = await post(`${base}/rabbitmq/restart`, body);
    assert.equal(res.status, 400, `${body}: ${JSON.stringify(res.json)}`);
    assert.match(res.json.error ?? '', /JSON object/);
  }
  assert.deepEqual(calls, []);
  assert.equal((await post(`${base}/rabbitmq/stop`, '{"kill":true}')).status, 200);
  assert.deepEqual(calls, ['stop kill=true']);
});
