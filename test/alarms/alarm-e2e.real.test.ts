import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from 'amqplib';
import ICAL from 'ical.js';
import { FakeClock } from '../../src/core/clock.js';
import { startSidecal } from '../../src/main.js';
import { startSmtpSink } from '../harness/smtp.js';
import { requireEnv, uniqueName } from '../support/real.js';
import { silentLogger, testConfig } from '../support/sidecal.js';
import { ACCEPTED_ALICE, vcalendar, vevent } from './fixtures.js';

test('real backends: esn-sabre alarm message on RabbitMQ → MongoDB entry → one email over SMTP, with two sidecal nodes', async () => {
  const sink = await startSmtpSink();
  const clock = new FakeClock('2026-11-24T08:00:00Z');
  const env = {
    MONGO_URL: requireEnv('MONGO_URL'), MONGO_DATABASE: uniqueName('sidecal_e2e'), RABBITMQ_URI: requireEnv('RABBITMQ_URI'),
    SMTP_HOST: sink.host, SMTP_PORT: String(sink.port), ALARM_EVENT_SCHEDULER_POLL_INTERVAL: '50ms', ALARM_EVENT_SCHEDULER_INITIAL_JITTER_MAX: '10ms',
  };
  const nodeA = await startSidecal(testConfig(env), { logger: silentLogger, listen: false, clock });
  const nodeB = await startSidecal(testConfig(env), { logger: silentLogger, listen: false, clock });
  try {
    await nodeA.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email: 'alice@linagora.com', firstname: 'Alice', lastname: 'A' } });
    const alice = ((await nodeB.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { id: string }[])[0]!;
    const ics = vcalendar(vevent(['UID:real-e2e', 'SUMMARY:Quarterly review', 'DTSTART:20261124T090000Z', 'DTEND:20261124T100000Z', ACCEPTED_ALICE]));
    // Published as esn-sabre does: one exchange per topic, routing key "", JSON body without properties.
    const conn = await connect(requireEnv('RABBITMQ_URI'));
    const ch = await conn.createConfirmChannel();
    const body = { eventPath: `/calendars/${alice.id}/${alice.id}/real-e2e.ics`, event: new ICAL.Component(ICAL.parse(ics)).toJSON(), rawEvent: ics, import: false };
    ch.publish('calendar:event:alarm:created', '', Buffer.from(JSON.stringify(body)));
    await ch.waitForConfirms();
    await conn.close();
    await new Promise((r) => setTimeout(r, 500));
    clock.set('2026-11-24T08:45:00Z');
    const [mail] = await sink.waitFor(1, 10_000);
    assert.equal(mail?.parsed().subject, 'Notification: Quarterly review');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(sink.messages.length, 1, 'two nodes, one email');
  } finally {
    await nodeA.close();
    await nodeB.close();
    await sink.close();
  }
});
