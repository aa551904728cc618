import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ConsumerWatchdog, consumerWatchdogFor, vhostOf, type ConsumerWatchdogOptions } from '../../src/events/consumer-watchdog.js';
import { testConfig } from '../support/sidecal.js';

/**
 * A stand-in for the RabbitMQ management API on loopback: answers GET /api/queues/{vhost}/{queue} from `queues`
 * (consumer count per queue; absent = 404), or with `failWith` statuses first. Records every request.
 */
class FakeManagement {
  readonly requests: { path: string; authorization: string | undefined }[] = [];
  queues = new Map<string, number>();
  failWith: number[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res) => {
      this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
      const status = this.failWith.shift();
      if (status) return void res.writeHead(status).end('{"error":"boom"}');
      const m = /^\/api\/queues\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
      const consumers = m ? this.queues.get(decodeURIComponent(m[2]!)) : undefined;
      if (consumers === undefined) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Object Not Found","reason":"Not Found"}');
      const details = Array.from({ length: consumers }, (_, i) => ({ consumer_tag: `amq.ctag-${i}`, activity_status: 'up' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: decodeURIComponent(m![2]!), vhost: decodeURIComponent(m![1]!), consumer_details: details }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

/**
 * The bus side: its queues, and restarts that bring every queue's consumer back (as the RabbitMQ bus does). `checks`
 * counts the passes begun: a check asks for the queues synchronously, so a timer that fired shows at once, without
 * waiting for its HTTP exchange.
 */
function fakeConsumers(mgmt: FakeManagement, queues: string[]) {
  const state = { restarts: 0, checks: 0 };
  return {
    state,
    consumers: {
      queues: () => {
        state.checks++;
        return queues;
      },
      restartConsumers: async () => {
        state.restarts++;
        for (const q of queues) mgmt.queues.set(q, 1);
      },
    },
  };
}

const QUEUES = ['tcalendar:event:created:search', 'tcalendar:event:alarm:created'];
let mgmt: FakeManagement;
let logged: { level: number; msg: string }[];
let watchdogs: ConsumerWatchdog[];

function makeWatchdog(o: Partial<ConsumerWatchdogOptions> & Pick<ConsumerWatchdogOptions, 'consumers'>): ConsumerWatchdog {
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const w = new ConsumerWatchdog({
    managementUri: `http://guest:guest@127.0.0.1:${mgmt.port}`,
    amqpUri: 'amqp://guest:guest@127.0.0.1:5672',
    intervalMs: 60_000,
    delayStartUpMs: 30_000,
    logger,
    ...o,
  });
  watchdogs.push(w);
  return w;
}

beforeEach(async () => {
  mgmt = await new FakeManagement().start();
  logged = [];
  watchdogs = [];
});
afterEach(async () => {
  for (const w of watchdogs) await w.close();
  await mgmt.close();
});

test('every queue consumed: nothing restarted; one GET per queue, vhost / as %2F, Basic auth from the URI', async () => {
  const { consumers, state } = fakeConsumers(mgmt, QUEUES);
  for (const q of QUEUES) mgmt.queues.set(q, 1);
  assert.equal(await makeWatchdog({ consumers }).check(), 'ok');
  assert.equal(state.restarts, 0);
  assert.deepEqual(mgmt.requests.map((r) => r.path), ['/api/queues/%2F/tcalendar%3Aevent%3Acreated%3Asearch', '/api/queues/%2F/tcalendar%3Aevent%3Aalarm%3Acreated']);
  assert.equal(mgmt.requests[0]!.authorization, `Basic ${Buffer.from('guest:guest').toString('base64')}`);
});

test('one queue without consumer: all consumers restarted once, counted in the metrics', async () => {
  const { consumers, state } = fakeConsumers(mgmt, QUEUES);
  mgmt.queues.set(QUEUES[0]!, 1);
  mgmt.queues.set(QUEUES[1]!, 0);
  const registry = new Registry();
  const w = makeWatchdog({ consumers, registry });
  assert.equal(await w.check(), 'restarted');
  assert.equal(state.restarts, 1);
  assert.ok(logged.some((l) => l.msg === 'queues without consumer: restarting all consumers'));
  assert.match(await registry.getSingleMetricAsString('amqp_consumer_restarts_total'), /amqp_consumer_restarts_total 1\n?$/);
  assert.equal(await w.check(), 'ok', 'the restarted consumers are seen');
  assert.equal(state.restarts, 1);
});

test('a queue the API does not know (404) counts as fine; a 500 is retried', async () => {
  const { consumers, state } = fakeConsumers(mgmt, QUEUES);
  mgmt.queues.set(QUEUES[1]!, 2); // QUEUES[0] unknown: 404
  mgmt.failWith = [500];
  assert.equal(await makeWatchdog({ consumers }).check(), 'ok');
  assert.equal(state.restarts, 0);
  assert.equal(mgmt.requests.length, 3, '500, then 404, then 200');
});

test('management API unreachable or refusing: a warning, no restart, no throw', async () => {
  const { consumers, state } = fakeConsumers(mgmt, QUEUES);
  const port = mgmt.port;
  await mgmt.close();
  const down = makeWatchdog({ consumers, managementUri: `http://127.0.0.1:${port}/` });
  assert.equal(await down.check(), 'unreachable');
  assert.ok(logged.some((l) => l.msg.startsWith('RabbitMQ management API unreachable')));
  mgmt = await new FakeManagement().start();
  mgmt.failWith = [401, 401];
  assert.equal(await makeWatchdog({ consumers }).check(), 'unreachable');
  assert.ok(logged.some((l) => l.msg.startsWith('RabbitMQ management API error')));
  mgmt.failWith = [500, 500, 500, 500, 500, 500];
  assert.equal(await makeWatchdog({ consumers }).check(), 'unreachable', '5xx after the retries');
  assert.equal(state.restarts, 0);
});

test('management.user/password win over credentials in the URI; the vhost comes from the AMQP URI path', async () => {
  const { consumers } = fakeConsumers(mgmt, ['q']);
  mgmt.queues.set('q', 1);
  const w = makeWatchdog({ consumers, managementUri: `http://x:y@127.0.0.1:${mgmt.port}/`, user: 'admin', password: 'p@ss:w', amqpUri: 'amqp://u:p@broker:5672/calendar%2Fprod' });
  assert.equal(await w.check(), 'ok');
  assert.deepEqual(mgmt.requests, [{ path: '/api/queues/calendar%2Fprod/q', authorization: `Basic ${Buffer.from('admin:p@ss:w').toString('base64')}` }]);
  assert.equal(vhostOf('amqp://h'), '/');
  assert.equal(vhostOf('amqp://h/'), '/');
  assert.equal(vhostOf('amqp://h/%2F'), '/');
  assert.equal(vhostOf('amqps://h:5671/sidecal'), 'sidecal');
});

/** Lets the loopback HTTP exchange of a check run to its end while timers are mocked. */
async function settle(until: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !until(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(until(), 'condition not reached');
}

test('schedule: first check after delayStartUp, then every interval; after a restart it pauses; close stops it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { consumers, state } = fakeConsumers(mgmt, ['q']);
  mgmt.queues.set('q', 1);
  const w = makeWatchdog({ consumers, delayStartUpMs: 30_000, intervalMs: 60_000, pauseAfterRestartMs: 90_000 });
  w.start();
  t.mock.timers.tick(29_999);
  assert.equal(state.checks, 0, 'nothing before delayStartUp');
  t.mock.timers.tick(1);
  assert.equal(state.checks, 1);
  await settle(() => mgmt.requests.length === 1);
  await w.idle();
  t.mock.timers.tick(59_999);
  assert.equal(state.checks, 1, 'nothing before the interval');
  mgmt.queues.set('q', 0); // the consumer is lost
  t.mock.timers.tick(1);
  assert.equal(state.checks, 2);
  await settle(() => state.restarts === 1);
  await w.idle();
  t.mock.timers.tick(60_000);
  assert.equal(state.checks, 2, 'no check one interval after a restart: the pause is longer');
  assert.equal(mgmt.requests.length, 2);
  t.mock.timers.tick(30_000);
  assert.equal(state.checks, 3);
  await settle(() => mgmt.requests.length === 3);
  await w.idle();
  await w.close();
  t.mock.timers.tick(600_000);
  assert.equal(state.checks, 3, 'closed: no more checks');
  assert.equal(mgmt.requests.length, 3);
  assert.equal(state.restarts, 1);
});

test('a failing restart is logged and the watchdog keeps checking', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  mgmt.queues.set('q', 0);
  let calls = 0;
  const restartConsumers = async () => {
    calls++;
    throw new Error('channel closed');
  };
  const w = makeWatchdog({ consumers: { queues: () => ['q'], restartConsumers }, delayStartUpMs: 0, intervalMs: 1000 });
  w.start();
  t.mock.timers.tick(0);
  await settle(() => calls === 1);
  await w.idle();
  assert.ok(logged.some((l) => l.msg.startsWith('consumer watchdog check failed')));
  t.mock.timers.tick(1000);
  await settle(() => calls === 2);
  await w.idle();
});

test('from the configuration: off when disabled or without management.uri (with a warning), else on', () => {
  const { consumers } = fakeConsumers(mgmt, ['q']);
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const jvm = { fallbackClassicQueuesV1: false, ignoreIfUserNotFound: false, watchdogDelayStartUpMs: 30_000 };
  const rabbit = testConfig({ RABBITMQ_URI: 'amqp://r:5672', RABBITMQ_MANAGEMENT_URI: `http://127.0.0.1:${mgmt.port}` }).rabbitmq!;
  assert.equal(consumerWatchdogFor({ ...rabbit, reconnectionEnabled: false }, jvm, consumers, logger), undefined);
  assert.equal(logged.length, 0);
  assert.equal(consumerWatchdogFor({ ...rabbit, managementUri: undefined }, jvm, consumers, logger), undefined);
  assert.match(logged[0]!.msg, /^consumer watchdog off/);
  assert.ok(consumerWatchdogFor(rabbit, jvm, consumers, logger) instanceof ConsumerWatchdog);
});
