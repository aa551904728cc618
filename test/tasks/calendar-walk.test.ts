import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequestError } from '../../src/core/errors.js';
import { eventsPerSecondOf, ownEventGroups, Pace, type CalendarExporter } from '../../src/tasks/calendar-walk.js';

const ALICE = { id: '65f1c0ffee0000000000a001', username: 'alice@linagora.com' };

function ics(...uids: string[]): string {
  const events = uids.map((uid) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTART:20261124T090000Z', 'END:VEVENT']);
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');
}

test('ownEventGroups: one group per UID of the calendars the user owns; shared and empty calendars skipped', async () => {
  const exports = new Map([
    ['own', ics('a', 'b', 'a')],
    ['empty', '  \r\n'],
    ['shared', ics('theirs')],
  ]);
  const exporter: CalendarExporter = {
    listCalendars: async () => [
      { homeId: ALICE.id, calendarId: 'own' },
      { homeId: ALICE.id, calendarId: 'empty' },
      { homeId: '65f1c0ffee0000000000b002', calendarId: 'shared' },
    ],
    exportCalendar: async (_user, cal) => exports.get(cal.calendarId)!,
  };
  const seen: string[] = [];
  for await (const { calendar, group } of ownEventGroups(exporter, ALICE)) seen.push(`${calendar.calendarId}/${group.uid}`);
  assert.deepEqual(seen, ['own/a', 'own/b']);
});

test('ownEventGroups: a failing export reaches the loop', async () => {
  const exporter: CalendarExporter = {
    listCalendars: async () => [{ homeId: ALICE.id, calendarId: 'own' }],
    exportCalendar: async () => {
      throw new Error('esn-sabre down');
    },
  };
  await assert.rejects(async () => {
    for await (const _ of ownEventGroups(exporter, ALICE)) assert.fail('no group expected');
  }, /esn-sabre down/);
});

test('Pace: the first turn is immediate, later ones keep to the rate', async () => {
  const pace = new Pace(50);
  const start = Date.now();
  await pace.next();
  assert.ok(Date.now() - start < 15, 'first turn without waiting');
  for (let i = 0; i < 5; i++) await pace.next();
  // 6 turns at 50/s: the last one starts 100 ms after the first.
  assert.ok(Date.now() - start >= 95, `took ${Date.now() - start} ms`);
});

test('eventsPerSecondOf: 100 by default, a strictly positive integer otherwise', () => {
  assert.equal(eventsPerSecondOf(undefined), 100);
  assert.equal(eventsPerSecondOf('7'), 7);
  for (const bad of ['0', '-1', '1.5', 'abc', '']) assert.throws(() => eventsPerSecondOf(bad), BadRequestError, bad);
});
