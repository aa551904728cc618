import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from 'amqplib';
import { startSidecal } from '../../src/main.js';
import { eventually } from '../events/message-bus.contract.js';
import { requireEnv, uniqueName } from '../support/real.js';
import { silentLogger, testConfig } from '../support/sidecal.js';
import { specUpdatedMessage } from './fixtures.js';

test('real RabbitMQ + OpenSearch: the spec message is searchable within a second; a malformed one is dead-lettered, the next indexed', async () => {
  const s = await startSidecal(testConfig({ RABBITMQ_URI: requireEnv('RABBITMQ_URI'), OPENSEARCH_URL: requireEnv('OPENSEARCH_URL') }), { logger: silentLogger, listen: false });
  const conn = await connect(requireEnv('RABBITMQ_URI'));
  try {
    const email = `${uniqueName('alice').replace(/[^a-z0-9]/gi, '')}@linagora.com`;
    await s.webadmin!.inject({ method: 'PUT', url: `/users/${email}`, payload: { password: 'pw' } });
    await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: 'Alice', lastname: 'A' } });
    const users = (await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { id: string; email: string }[];
    const id = users.find((u) => u.email === email)!.id;
    const searchFor = async (query: string) => {
      const res = await s.rest.inject({ method: 'POST', url: '/calendar/api/events/search', headers: { authorization: `Basic ${Buffer.from(`${email}:pw`).toString('base64')}` }, payload: { query } });
      assert.equal(res.statusCode, 200);
      return (res.json() as { _embedded: { events: { data: { uid: string } }[] } })._embedded.events.map((e) => e.data.uid);
    };
    // As esn-sabre publishes: routing key "", the PHP json_encode body as is, no properties.
    const ch = await conn.createConfirmChannel();
    // Warm-up (cold JVM and first writes to the index): one other event through the same path, untimed.
    const warm = specUpdatedMessage(id).replaceAll('a0b5a363', 'warmup01').replace('Sprint review', 'Warm up');
    ch.publish('calendar:event:created', '', Buffer.from(warm));
    await ch.waitForConfirms();
    await eventually(async () => (await searchFor('warm')).length === 1, 10_000);
    const marker = uniqueName('malformed');
    ch.publish('calendar:event:created', '', Buffer.from(JSON.stringify({ eventPath: `/nope/${marker}`, event: [] })));
    const sentAt = Date.now();
    ch.publish('calendar:event:updated', '', Buffer.from(specUpdatedMessage(id)));
    await ch.waitForConfirms();
    await eventually(async () => (await searchFor('sprint')).length === 1, 5_000);
    const elapsed = Date.now() - sentAt;
    assert.ok(elapsed < 1_000, `searchable after ${elapsed} ms`);
    assert.deepEqual(await searchFor('review'), ['a0b5a363']);
    // The malformed one sits in the search dead-letter queue (retried first, then dead-lettered).
    const dead: string[] = [];
    await eventually(async () => {
      for (let m = await ch.get('tcalendar:event:created:search-dead-letter', { noAck: true }); m; m = await ch.get('tcalendar:event:created:search-dead-letter', { noAck: true })) dead.push(m.content.toString('utf8'));
      return dead.some((d) => d.includes(marker));
    }, 10_000);
    const health = await s.webadmin!.inject({ method: 'GET', url: '/healthcheck' });
    const names = (health.json() as { checks: { componentName: string; status: string }[] }).checks.map((c) => `${c.componentName}:${c.status}`);
    assert.ok(names.includes('RabbitMQ backend:healthy') && names.includes('OpenSearch Backend:healthy'), names.join(', '));
  } finally {
    await conn.close();
    await s.close();
  }
});
