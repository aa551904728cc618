import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MongoAlarmLease, MongoAlarmStore } from '../../src/alarms/alarm-store.mongo.js';
import { FakeClock } from '../../src/core/clock.js';
import { freshMongo } from '../support/real.js';
import { alarmLeaseContract, alarmStoreContract, entry } from './alarm-store.contract.js';

alarmStoreContract('MongoAlarmStore', async () => {
  const store = new MongoAlarmStore((await freshMongo()).db);
  await store.init();
  return store;
});

alarmLeaseContract('MongoAlarmLease', async () => {
  const clock = new FakeClock('2026-11-24T08:00:00Z');
  const lease = new MongoAlarmLease((await freshMongo()).db, clock);
  await lease.init();
  return { lease, clock };
});

test('MongoAlarmStore: due alarms are found through the alarmTime index; the document has the reference shape', async () => {
  const { db } = await freshMongo();
  const store = new MongoAlarmStore(db);
  await store.init();
  await store.upsert(entry({ recurrenceId: '20261124T090000Z' }));
  const doc = await db.collection('twake_calendar_alarm_events').findOne({});
  assert.ok(doc);
  assert.ok(doc.alarmTime instanceof Date);
  assert.ok(doc.eventStartTime instanceof Date);
  assert.equal(doc.recurrenceId, '20261124T090000Z');
  assert.equal(doc.action, 'EMAIL');
  const indexes = (await db.collection('twake_calendar_alarm_events').indexes()).map((i) => JSON.stringify(i.key));
  assert.ok(indexes.includes('{"alarmTime":1}'));
  assert.ok(indexes.includes('{"eventUid":1,"recipient":1}'));
});
