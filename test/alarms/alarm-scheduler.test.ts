import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { defaultAlarmSettings, type AlarmMailer, type AlarmSettings } from '../../src/alarms/alarm-ports.js';
import { AlarmScheduler } from '../../src/alarms/alarm-scheduler.js';
import { MemoryAlarmLease, MemoryAlarmStore } from '../../src/alarms/alarm-store.memory.js';
import type { AlarmStore } from '../../src/alarms/alarm-store.js';
import { computeNextAlarm } from '../../src/alarms/next-alarm.js';
import { FakeClock } from '../../src/core/clock.js';
import { ACCEPTED_ALICE, vcalendar, vevent } from './fixtures.js';

const logger = pino({ level: 'silent' });

/** Records what would be emailed: the observable result of a tick in the fast layer. */
class RecordingMailer implements AlarmMailer {
  readonly sent: { uid: string; recipient: string; language: string; at: string }[] = [];
  failNext = 0;
  async sendAlarm(input: Parameters<AlarmMailer['sendAlarm']>[0]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SMTP 451 try again later');
    }
    this.sent.push({ uid: input.entry.eventUid, recipient: input.recipient, language: input.language, at: input.now.toISOString() });
  }
}

function setup(clock: FakeClock, store: AlarmStore = new MemoryAlarmStore(), settings: AlarmSettings = defaultAlarmSettings({ language: 'fr', timezone: 'Europe/Paris' })) {
  const mailer = new RecordingMailer();
  const lease = new MemoryAlarmLease(clock);
  const make = () => new AlarmScheduler({ store, lease, mailer, settings, clock, logger, batchSize: 100, pollIntervalMs: 60_000, initialJitterMaxMs: 1, leaseTtlMs: 60_000 });
  return { store, mailer, lease, make };
}

async function schedule(store: AlarmStore, ics: string, now: Date): Promise<void> {
  const next = computeNextAlarm(ics, 'alice@linagora.com', now, 'Europe/Paris');
  assert.ok(next);
  for (const recipient of next.recipients) {
    await store.upsert({ eventUid: next.eventUid, recipient, alarmTime: next.alarmTime, eventStartTime: next.eventStartTime, recurring: next.recurring, ics, ...(next.recurrenceId ? { recurrenceId: next.recurrenceId } : {}) });
  }
}

test('an alarm 15 minutes before the event is sent once, at the right minute, in the user language', async () => {
  const clock = new FakeClock('2026-11-24T08:00:00Z');
  const { store, mailer, make } = setup(clock);
  await schedule(store, vcalendar(vevent(['UID:meeting', 'DTSTART;TZID=Europe/Paris:20261124T100000', ACCEPTED_ALICE])), clock.now());
  const scheduler = make();
  clock.set('2026-11-24T08:44:00Z');
  assert.equal((await scheduler.tick()).sent, 0, 'not before 08:45');
  clock.set('2026-11-24T08:45:00Z');
  assert.equal((await scheduler.tick()).sent, 1);
  clock.set('2026-11-24T08:46:00Z');
  assert.equal((await scheduler.tick()).due, 0, 'a one-off alarm is gone once sent');
  assert.deepEqual(mailer.sent, [{ uid: 'meeting', recipient: 'alice@linagora.com', language: 'fr', at: '2026-11-24T08:45:00.000Z' }]);
  assert.equal(await store.count(), 0);
});

test('two schedulers over one store send each alarm exactly once', async () => {
  const clock = new FakeClock('2026-11-24T08:00:00Z');
  const { store, mailer, make } = setup(clock);
  for (let i = 0; i < 20; i++) await schedule(store, vcalendar(vevent([`UID:e${i}`, 'DTSTART:20261124T090000Z', ACCEPTED_ALICE])), clock.now());
  clock.set('2026-11-24T08:45:00Z');
  const [a, b] = await Promise.all([make().tick(), make().tick()]);
  assert.equal(a.sent + b.sent, 20);
  assert.equal(new Set(mailer.sent.map((s) => s.uid)).size, 20);
  assert.equal(mailer.sent.length, 20);
});

test('a weekly event sends every week', async () => {
  const clock = new FakeClock('2026-11-23T08:00:00Z');
  const { store, mailer, make } = setup(clock);
  await schedule(store, vcalendar(vevent(['UID:weekly', 'DTSTART:20261124T090000Z', 'RRULE:FREQ=WEEKLY', ACCEPTED_ALICE])), clock.now());
  const scheduler = make();
  for (const day of ['2026-11-24', '2026-12-01', '2026-12-08']) {
    clock.set(`${day}T08:45:00Z`);
    await scheduler.tick();
  }
  assert.deepEqual(mailer.sent.map((s) => s.at), ['2026-11-24T08:45:00.000Z', '2026-12-01T08:45:00.000Z', '2026-12-08T08:45:00.000Z']);
  assert.equal((await store.find('weekly', 'alice@linagora.com'))?.alarmTime.toISOString(), '2026-12-15T08:45:00.000Z');
});

test('a node that dies between lease and send: another node sends once the lease expired', async () => {
  const clock = new FakeClock('2026-11-24T08:00:00Z');
  const { store, lease, mailer, make } = setup(clock);
  await schedule(store, vcalendar(vevent(['UID:crash', 'DTSTART:20261124T090000Z', ACCEPTED_ALICE])), clock.now());
  clock.set('2026-11-24T08:45:00Z');
  const due = await store.findDue(clock.now(), 10);
  assert.equal(await lease.acquire(due[0]!, 60_000), true, 'the dying node took the lease and never sent');
  const other = make();
  assert.equal((await other.tick()).leasedElsewhere, 1);
  clock.advance(61_000);
  assert.equal((await other.tick()).sent, 1);
  assert.equal(mailer.sent.length, 1);
});

test('a failed send is retried on the next tick; past events are not sent after a long stop; recurring ones advance', async () => {
  const clock = new FakeClock('2026-11-23T08:00:00Z');
  const { store, mailer, make } = setup(clock);
  await schedule(store, vcalendar(vevent(['UID:retry', 'DTSTART:20261124T090000Z', ACCEPTED_ALICE])), clock.now());
  await schedule(store, vcalendar(vevent(['UID:series', 'DTSTART:20261124T100000Z', 'RRULE:FREQ=DAILY', ACCEPTED_ALICE])), clock.now());
  const scheduler = make();
  mailer.failNext = 1;
  clock.set('2026-11-24T08:45:00Z');
  assert.equal((await scheduler.tick()).failed, 1);
  clock.set('2026-11-24T08:46:00Z');
  assert.equal((await scheduler.tick()).sent, 1);
  // Down for two days: the daily series' missed occurrences are skipped, not mailed, and it moves past now.
  clock.set('2026-11-26T12:00:00Z');
  const result = await scheduler.tick();
  assert.equal(result.outdated, 1);
  assert.equal(result.sent, 0);
  assert.equal((await store.find('series', 'alice@linagora.com'))?.eventStartTime.toISOString(), '2026-11-27T10:00:00.000Z');
});

test('the user setting that turns alarm emails off is respected at send time', async () => {
  const clock = new FakeClock('2026-11-24T08:00:00Z');
  const off: AlarmSettings = { forUser: async () => ({ alarmEmails: false, language: 'en', timezone: 'UTC' }) };
  const { store, mailer, make } = setup(clock, new MemoryAlarmStore(), off);
  await schedule(store, vcalendar(vevent(['UID:quiet', 'DTSTART:20261124T090000Z', ACCEPTED_ALICE])), clock.now());
  clock.set('2026-11-24T08:45:00Z');
  assert.equal((await make().tick()).disabled, 1);
  assert.equal(mailer.sent.length, 0);
  assert.equal(await store.count(), 0);
});
