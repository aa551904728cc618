import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlarmEntry, AlarmLease, AlarmStore } from '../../src/alarms/alarm-store.js';
import type { FakeClock } from '../../src/core/clock.js';

export function entry(overrides: Partial<AlarmEntry> = {}): AlarmEntry {
  return {
    eventUid: 'uid-1',
    recipient: 'alice@linagora.com',
    alarmTime: new Date('2026-11-24T08:45:00.123Z'),
    eventStartTime: new Date('2026-11-24T09:00:00.000Z'),
    recurring: false,
    ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
    eventPath: '/calendars/h/c/e.ics',
    ...overrides,
  };
}

export function alarmStoreContract(name: string, make: () => Promise<AlarmStore>): void {
  test(`${name}: upsert then find, ms precision, recurrenceId only when present`, async () => {
    const store = await make();
    await store.upsert(entry());
    assert.deepEqual(await store.find('uid-1', 'alice@linagora.com'), entry());
    await store.upsert(entry({ recurring: true, recurrenceId: '20261124T090000Z' }));
    assert.deepEqual(await store.find('uid-1', 'alice@linagora.com'), entry({ recurring: true, recurrenceId: '20261124T090000Z' }));
    assert.equal(await store.count(), 1);
  });

  test(`${name}: one entry per (uid, recipient); delete is idempotent and precise`, async () => {
    const store = await make();
    await store.upsert(entry());
    await store.upsert(entry({ recipient: 'bob@linagora.com' }));
    await store.upsert(entry({ eventUid: 'uid-2' }));
    await store.delete('uid-1', 'alice@linagora.com');
    await store.delete('uid-1', 'alice@linagora.com');
    assert.equal(await store.find('uid-1', 'alice@linagora.com'), undefined);
    assert.ok(await store.find('uid-1', 'bob@linagora.com'));
    assert.ok(await store.find('uid-2', 'alice@linagora.com'));
  });

  test(`${name}: findDue returns alarmTime <= now, earliest first, limited`, async () => {
    const store = await make();
    await store.upsert(entry({ eventUid: 'late', alarmTime: new Date('2026-11-24T10:00:00Z') }));
    await store.upsert(entry({ eventUid: 'b', alarmTime: new Date('2026-11-24T08:30:00Z') }));
    await store.upsert(entry({ eventUid: 'a', alarmTime: new Date('2026-11-24T08:00:00Z') }));
    await store.upsert(entry({ eventUid: 'edge', alarmTime: new Date('2026-11-24T09:00:00Z') }));
    const due = await store.findDue(new Date('2026-11-24T09:00:00Z'), 10);
    assert.deepEqual(due.map((e) => e.eventUid), ['a', 'b', 'edge']);
    assert.deepEqual((await store.findDue(new Date('2026-11-24T09:00:00Z'), 2)).map((e) => e.eventUid), ['a', 'b']);
    assert.deepEqual(await store.findDue(new Date('2026-11-24T07:00:00Z'), 10), []);
  });
}

export function alarmLeaseContract(name: string, make: () => Promise<{ lease: AlarmLease; clock: FakeClock }>): void {
  test(`${name}: a second acquire fails until the lease expires; release frees only its key`, async () => {
    const { lease, clock } = await make();
    const e = entry();
    assert.equal(await lease.acquire(e, 60_000), true);
    assert.equal(await lease.acquire({ ...e, recipient: 'ALICE@linagora.com' }, 60_000), false, 'recipients are compared lower-case');
    assert.equal(await lease.acquire({ ...e, alarmTime: new Date(e.alarmTime.getTime() + 1) }, 60_000), true, 'another instant is another key');
    clock.advance(61_000);
    assert.equal(await lease.acquire(e, 60_000), true, 'an expired lease is taken over');
    await lease.release(e);
    await lease.release(e);
    assert.equal(await lease.acquire(e, 60_000), true);
  });
}
