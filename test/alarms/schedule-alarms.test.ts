import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { defaultAlarmSettings } from '../../src/alarms/alarm-ports.js';
import { MemoryAlarmStore } from '../../src/alarms/alarm-store.memory.js';
import { ScheduleAlarmsTask } from '../../src/alarms/schedule-alarms-task.js';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import { CalDavClient } from '../../src/dav/caldav-client.js';
import { DavClient } from '../../src/dav/dav-client.js';
import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { MemoryUserStore } from '../../src/storage/user-store.memory.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';
import { startForTest, testConfig } from '../support/sidecal.js';
import { ACCEPTED_ALICE, vcalendar, vevent } from './fixtures.js';

const sabre = new SabreEmulator('admin', 'secret');
before(async () => sabre.start());
after(async () => sabre.stop());

test('scheduleAlarms reads every user calendar from esn-sabre and stores each event next alarm once', async () => {
  const domains = new MemoryDomainStore();
  await domains.add('linagora.com');
  const users = new MemoryUserStore(domains);
  const alice = await users.add('alice@linagora.com', 'Alice', 'A');
  sabre.addCalendar(alice.id, alice.id, 'alice@linagora.com');
  sabre.putObject(alice.id, alice.id, 'a.ics', vcalendar(vevent(['UID:a', 'DTSTART:20261124T090000Z', 'DTEND:20261124T100000Z', ACCEPTED_ALICE])));
  sabre.putObject(alice.id, alice.id, 'b.ics', vcalendar(vevent(['UID:b', 'DTSTART:20261124T090000Z', 'RRULE:FREQ=WEEKLY', ACCEPTED_ALICE])));
  sabre.putObject(alice.id, alice.id, 'past.ics', vcalendar(vevent(['UID:past', 'DTSTART:20200101T090000Z', ACCEPTED_ALICE])));
  const config = testConfig({ DAV_URL: sabre.url });
  const dav = new DavClient(config.dav, new TechnicalTokenService('s', 3_600_000));
  const store = new MemoryAlarmStore();
  const deps = {
    users, caldav: new CalDavClient(dav), store, settings: defaultAlarmSettings({ language: 'en', timezone: 'UTC' }), whitelist: [],
    now: () => new Date('2026-11-23T08:00:00Z'), logger: pino({ level: 'silent' }),
  };
  const task = new ScheduleAlarmsTask(deps, 1000);
  assert.equal(await task.run(new AbortController().signal), 'completed');
  assert.deepEqual(task.details(), { processedEventCount: 3, failedEventCount: 0 });
  assert.equal(await store.count(), 2);
  assert.equal((await store.find('b', 'alice@linagora.com'))?.recurring, true);
  assert.equal((await store.find('a', 'alice@linagora.com'))?.eventPath, `/calendars/${alice.id}/${alice.id}/a.ics`);
  // An existing entry is kept as it is.
  await store.upsert({ ...(await store.find('a', 'alice@linagora.com'))!, alarmTime: new Date('2026-11-24T08:30:00Z') });
  await new ScheduleAlarmsTask(deps, 1000).run(new AbortController().signal);
  assert.equal((await store.find('a', 'alice@linagora.com'))?.alarmTime.toISOString(), '2026-11-24T08:30:00.000Z');
  await dav.close();
});

test('webadmin: POST /calendars?task=scheduleAlarms runs the task; eventsPerSecond is validated', async () => {
  const s = await startForTest({ DAV_URL: sabre.url });
  try {
    const bad = await s.webadmin!.inject({ method: 'POST', url: '/calendars?task=scheduleAlarms&eventsPerSecond=0' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().details, "Illegal value supplied for query parameter 'eventsPerSecond', expecting a strictly positive optional integer");
    const created = await s.webadmin!.inject({ method: 'POST', url: '/calendars?task=scheduleAlarms&eventsPerSecond=50' });
    assert.equal(created.statusCode, 201);
    const { taskId } = created.json() as { taskId: string };
    assert.equal(created.headers.location, `/tasks/${taskId}`);
    const done = (await s.webadmin!.inject({ method: 'GET', url: `/tasks/${taskId}/await?timeout=10s` })).json();
    assert.equal(done.type, 'schedule-alarms');
    assert.equal(done.status, 'completed');
    assert.equal(done.additionalInformation.type, 'schedule-alarms');
    assert.equal(done.additionalInformation.processedEventCount, 0);
  } finally {
    await s.close();
  }
});
