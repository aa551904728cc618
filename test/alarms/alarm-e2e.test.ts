import assert from 'node:assert/strict';
import { test } from 'node:test';
import ICAL from 'ical.js';
import { FakeClock } from '../../src/core/clock.js';
import { startSidecal } from '../../src/main.js';
import { startSmtpSink } from '../harness/smtp.js';
import { silentLogger, testConfig } from '../support/sidecal.js';
import { ACCEPTED_ALICE, vcalendar, vevent } from './fixtures.js';

test('end to end: an alarm:created message becomes one event-alarm email at the right minute', async () => {
  const sink = await startSmtpSink();
  const clock = new FakeClock('2026-11-24T08:00:00Z');
  const s = await startSidecal(
    testConfig({
      SMTP_HOST: sink.host, SMTP_PORT: String(sink.port), DAV_URL: 'http://127.0.0.1:9/',
      ALARM_EVENT_SCHEDULER_POLL_INTERVAL: '50ms', ALARM_EVENT_SCHEDULER_INITIAL_JITTER_MAX: '10ms',
    }),
    { logger: silentLogger, listen: false, clock },
  );
  try {
    await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email: 'alice@linagora.com', firstname: 'Alice', lastname: 'A' } });
    const alice = ((await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { id: string }[])[0]!;
    const ics = vcalendar(vevent(['UID:e2e', 'SUMMARY:Budget review', 'DTSTART:20261124T090000Z', 'DTEND:20261124T100000Z', ACCEPTED_ALICE]));
    // esn-sabre's message; the object itself is read back from the payload's rawEvent (no esn-sabre in this test).
    await s.bus.publish('calendar:event:alarm:created', { eventPath: `/calendars/${alice.id}/${alice.id}/e2e.ics`, event: new ICAL.Component(ICAL.parse(ics)).toJSON(), rawEvent: ics });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sink.messages.length, 0, 'nothing before 08:45');
    clock.set('2026-11-24T08:45:00Z');
    const [mail] = await sink.waitFor(1, 5_000);
    assert.equal(mail?.parsed().subject, 'Notification: Budget review');
    assert.deepEqual(mail?.to, ['alice@linagora.com']);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sink.messages.length, 1, 'sent once');
  } finally {
    await s.close();
    await sink.close();
  }
});
