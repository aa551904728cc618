import assert from 'node:assert/strict';
import { test } from 'node:test';
import ICAL from 'ical.js';
import { pino } from 'pino';
import { handleAlarmRemove, handleAlarmUpsert, type AlarmConsumerDeps } from '../../src/alarms/alarm-consumer.js';
import { defaultAlarmSettings } from '../../src/alarms/alarm-ports.js';
import { MemoryAlarmStore } from '../../src/alarms/alarm-store.memory.js';
import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { MemoryUserStore } from '../../src/storage/user-store.memory.js';
import { ACCEPTED_ALICE, vcalendar, vevent } from './fixtures.js';

const log = pino({ level: 'silent' });
const NOW = new Date('2026-11-23T08:00:00Z');

async function setup(overrides: Partial<AlarmConsumerDeps> = {}) {
  const domains = new MemoryDomainStore();
  await domains.add('linagora.com');
  const users = new MemoryUserStore(domains);
  const alice = await users.add('alice@linagora.com', 'Alice', 'A');
  const store = new MemoryAlarmStore();
  const deps: AlarmConsumerDeps = { store, users, settings: defaultAlarmSettings({ language: 'en', timezone: 'UTC' }), whitelist: [], now: () => NOW, ...overrides };
  return { deps, store, alice };
}

/** The message esn-sabre publishes: jCal in `event`. */
function message(exchange: string, eventPath: string, ics: string) {
  return { exchange, routingKey: '', attempt: 1, payload: { eventPath, event: new ICAL.Component(ICAL.parse(ics)).toJSON(), import: false } };
}

const ICS = vcalendar(vevent(['UID:evt-1', 'DTSTART:20261124T090000Z', 'DTEND:20261124T100000Z', ACCEPTED_ALICE]));

test('alarm:created stores the next alarm for each VALARM recipient', async () => {
  const { deps, store, alice } = await setup();
  await handleAlarmUpsert(deps, message('calendar:event:alarm:created', `/calendars/${alice.id}/${alice.id}/evt-1.ics`, ICS), log);
  const e = await store.find('evt-1', 'alice@linagora.com');
  assert.equal(e?.alarmTime.toISOString(), '2026-11-24T08:45:00.000Z');
  assert.equal(e?.eventPath, `/calendars/${alice.id}/${alice.id}/evt-1.ics`);
  assert.match(e!.ics, /UID:evt-1/);
});

test('alarm:updated to a declined event removes the entry; alarm:deleted removes it too', async () => {
  const { deps, store, alice } = await setup();
  const path = `/calendars/${alice.id}/${alice.id}/evt-1.ics`;
  await handleAlarmUpsert(deps, message('calendar:event:alarm:created', path, ICS), log);
  const declined = ICS.replace('PARTSTAT=ACCEPTED', 'PARTSTAT=DECLINED');
  await handleAlarmUpsert(deps, message('calendar:event:alarm:updated', path, declined), log);
  assert.equal(await store.count(), 0);
  await handleAlarmUpsert(deps, message('calendar:event:alarm:created', path, ICS), log);
  await handleAlarmRemove(deps, message('calendar:event:alarm:deleted', path, ICS), log);
  assert.equal(await store.count(), 0);
});

test('unknown owner, disabled setting and non-whitelisted recipients store nothing; a fetched object wins over the payload', async () => {
  const a = await setup();
  await handleAlarmUpsert(a.deps, message('calendar:event:alarm:created', '/calendars/659387b9d486dc0046aeff21/c/evt-1.ics', ICS), log);
  assert.equal(await a.store.count(), 0);
  const off = await setup({ settings: { forUser: async () => ({ alarmEmails: false, language: 'en', timezone: 'UTC' }) } });
  await handleAlarmUpsert(off.deps, message('calendar:event:alarm:created', `/calendars/${off.alice.id}/c/evt-1.ics`, ICS), log);
  assert.equal(await off.store.count(), 0);
  const wl = await setup({ whitelist: ['someone@else.org'] });
  await handleAlarmUpsert(wl.deps, message('calendar:event:alarm:created', `/calendars/${wl.alice.id}/c/evt-1.ics`, ICS), log);
  assert.equal(await wl.store.count(), 0);
  const later = ICS.replace('20261124T090000Z', '20261125T090000Z');
  const fetched = await setup({ source: { fetch: async () => later } });
  await handleAlarmUpsert(fetched.deps, message('calendar:event:alarm:created', `/calendars/${fetched.alice.id}/c/evt-1.ics`, ICS), log);
  assert.equal((await fetched.store.find('evt-1', 'alice@linagora.com'))?.eventStartTime.toISOString(), '2026-11-25T09:00:00.000Z');
});

test('a malformed message is an error (the bus dead-letters it); an unknown zone is logged and dropped', async () => {
  const { deps, alice, store } = await setup();
  await assert.rejects(handleAlarmUpsert(deps, { exchange: 'x', routingKey: '', attempt: 1, payload: { nope: true } }, log));
  await assert.rejects(handleAlarmUpsert(deps, { exchange: 'x', routingKey: '', attempt: 1, payload: { eventPath: 'not/a/path' } }, log));
  const mars = ICS.replace('DTSTART:20261124T090000Z', 'DTSTART;TZID=Mars/Base:20261124T090000');
  await handleAlarmUpsert(deps, message('calendar:event:alarm:created', `/calendars/${alice.id}/c/evt-1.ics`, mars), log);
  assert.equal(await store.count(), 0);
});
