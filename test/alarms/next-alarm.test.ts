import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alarmEntries, computeNextAlarm } from '../../src/alarms/next-alarm.js';
import { UnknownTimezoneError } from '../../src/alarms/timezones.js';
import { ACCEPTED_ALICE, ORGANIZER_BOB, vcalendar, vevent } from './fixtures.js';

const NOW = new Date('2026-11-23T08:00:00Z');
const at = (iso: string) => new Date(iso);

test('single event, relative trigger, TZID in the IANA database', () => {
  const ics = vcalendar(vevent(['UID:e1', 'DTSTART;TZID=Europe/Paris:20261124T100000', 'DTEND;TZID=Europe/Paris:20261124T110000', ORGANIZER_BOB, ACCEPTED_ALICE]));
  const next = computeNextAlarm(ics, 'alice@linagora.com', NOW, 'UTC');
  assert.deepEqual(next, { eventUid: 'e1', alarmTime: at('2026-11-24T08:45:00Z'), eventStartTime: at('2026-11-24T09:00:00Z'), recurring: false, recipients: ['alice@linagora.com'] });
});

test('summer time is honoured', () => {
  const ics = vcalendar(vevent(['UID:e2', 'DTSTART;TZID=Europe/Paris:20270615T100000', 'DTEND;TZID=Europe/Paris:20270615T110000', ACCEPTED_ALICE]));
  assert.equal(computeNextAlarm(ics, 'alice@linagora.com', NOW, 'UTC')?.eventStartTime.toISOString(), '2027-06-15T08:00:00.000Z');
});

test('declined, needs-action and cancelled events do not alarm; past alarms do not either', () => {
  const declined = vcalendar(vevent(['UID:d', 'DTSTART:20261124T100000Z', 'ATTENDEE;PARTSTAT=DECLINED:mailto:alice@linagora.com']));
  const pending = vcalendar(vevent(['UID:p', 'DTSTART:20261124T100000Z', 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:alice@linagora.com']));
  const cancelled = vcalendar(vevent(['UID:c', 'DTSTART:20261124T100000Z', 'STATUS:CANCELLED', ACCEPTED_ALICE]));
  const past = vcalendar(vevent(['UID:x', 'DTSTART:20261123T080500Z', ACCEPTED_ALICE]));
  for (const ics of [declined, pending, cancelled, past]) assert.equal(computeNextAlarm(ics, 'alice@linagora.com', NOW, 'UTC'), undefined);
});

test('a personal event without attendees alarms; the VALARM without ATTENDEE mails the user', () => {
  const ics = vcalendar(vevent(['UID:own', 'DTSTART:20261124T100000Z'], [['ACTION:EMAIL', 'TRIGGER:-PT1H']]));
  assert.deepEqual(computeNextAlarm(ics, 'Alice@linagora.com', NOW, 'UTC')?.recipients, ['alice@linagora.com']);
});

test('DISPLAY alarms are ignored; absolute, RELATED=END and REPEAT triggers are honoured', () => {
  const display = vcalendar(vevent(['UID:disp', 'DTSTART:20261124T100000Z', ACCEPTED_ALICE], [['ACTION:DISPLAY', 'TRIGGER:-PT15M']]));
  assert.equal(computeNextAlarm(display, 'alice@linagora.com', NOW, 'UTC'), undefined);
  const absolute = vcalendar(vevent(['UID:abs', 'DTSTART:20261124T100000Z', ACCEPTED_ALICE], [['ACTION:EMAIL', 'TRIGGER;VALUE=DATE-TIME:20261123T200000Z']]));
  assert.equal(computeNextAlarm(absolute, 'alice@linagora.com', NOW, 'UTC')?.alarmTime.toISOString(), '2026-11-23T20:00:00.000Z');
  const fromEnd = vcalendar(vevent(['UID:end', 'DTSTART:20261124T100000Z', 'DTEND:20261124T120000Z', ACCEPTED_ALICE], [['ACTION:EMAIL', 'TRIGGER;RELATED=END:-PT10M']]));
  assert.equal(computeNextAlarm(fromEnd, 'alice@linagora.com', NOW, 'UTC')?.alarmTime.toISOString(), '2026-11-24T11:50:00.000Z');
  const repeat = vcalendar(vevent(['UID:rep', 'DTSTART:20261123T083000Z', ACCEPTED_ALICE], [['ACTION:EMAIL', 'TRIGGER:-PT40M', 'DURATION:PT10M', 'REPEAT:3']]));
  // -40m = 07:50 (past), +10m = 08:00 (not strictly after now), +20m = 08:10: the next one.
  assert.equal(computeNextAlarm(repeat, 'alice@linagora.com', NOW, 'UTC')?.alarmTime.toISOString(), '2026-11-23T08:10:00.000Z');
});

test('all-day events start at midnight in the user zone', () => {
  const ics = vcalendar(vevent(['UID:ad', 'DTSTART;VALUE=DATE:20261125', 'DTEND;VALUE=DATE:20261126', ACCEPTED_ALICE], [['ACTION:EMAIL', 'TRIGGER:-PT12H', 'ATTENDEE:mailto:alice@linagora.com']]));
  const next = computeNextAlarm(ics, 'alice@linagora.com', NOW, 'Asia/Ho_Chi_Minh');
  assert.equal(next?.eventStartTime.toISOString(), '2026-11-24T17:00:00.000Z');
  assert.equal(next?.alarmTime.toISOString(), '2026-11-24T05:00:00.000Z');
});

test('weekly series: next occurrence after now, EXDATE skipped, declined override skipped, recurrence id in ICS form', () => {
  const master = vevent(['UID:w', 'DTSTART;TZID=Europe/Paris:20261116T100000', 'DTEND;TZID=Europe/Paris:20261116T110000', 'RRULE:FREQ=WEEKLY', 'EXDATE;TZID=Europe/Paris:20261123T100000', ACCEPTED_ALICE]);
  const declinedOverride = vevent(['UID:w', 'RECURRENCE-ID;TZID=Europe/Paris:20261130T100000', 'DTSTART;TZID=Europe/Paris:20261130T120000', 'DTEND;TZID=Europe/Paris:20261130T130000', 'ATTENDEE;PARTSTAT=DECLINED:mailto:alice@linagora.com']);
  const ics = vcalendar(master, declinedOverride);
  const next = computeNextAlarm(ics, 'alice@linagora.com', NOW, 'UTC');
  assert.deepEqual(next, {
    eventUid: 'w', alarmTime: at('2026-12-07T08:45:00Z'), eventStartTime: at('2026-12-07T09:00:00Z'), recurring: true,
    recurrenceId: '20261207T090000Z', recipients: ['alice@linagora.com'],
  });
  const afterFiring = computeNextAlarm(ics, 'alice@linagora.com', next!.alarmTime, 'UTC');
  assert.equal(afterFiring?.eventStartTime.toISOString(), '2026-12-14T09:00:00.000Z');
});

test('an accepted override moves its occurrence', () => {
  const master = vevent(['UID:m', 'DTSTART:20261124T100000Z', 'DTEND:20261124T110000Z', 'RRULE:FREQ=DAILY;COUNT=3', ACCEPTED_ALICE]);
  const moved = vevent(['UID:m', 'RECURRENCE-ID:20261124T100000Z', 'DTSTART:20261124T070000Z', 'DTEND:20261124T080000Z', ACCEPTED_ALICE]);
  const next = computeNextAlarm(vcalendar(master, moved), 'alice@linagora.com', NOW, 'UTC');
  assert.equal(next?.eventStartTime.toISOString(), '2026-11-24T07:00:00.000Z');
  assert.equal(next?.alarmTime.toISOString(), '2026-11-24T06:45:00.000Z');
  assert.equal(next?.recurrenceId, '20261124T100000Z');
  // Once that alarm fired, the following occurrence of the master is next.
  assert.equal(computeNextAlarm(vcalendar(master, moved), 'alice@linagora.com', next!.alarmTime, 'UTC')?.eventStartTime.toISOString(), '2026-11-25T10:00:00.000Z');
  const moveLater = vevent(['UID:m', 'RECURRENCE-ID:20261124T100000Z', 'DTSTART:20261124T090000Z', 'DTEND:20261124T093000Z', ACCEPTED_ALICE]);
  assert.equal(computeNextAlarm(vcalendar(master, moveLater), 'alice@linagora.com', NOW, 'UTC')?.alarmTime.toISOString(), '2026-11-24T08:45:00.000Z');
});

test('an old daily series still finds its next occurrence', () => {
  const ics = vcalendar(vevent(['UID:old', 'DTSTART:20200101T090000Z', 'RRULE:FREQ=DAILY', ACCEPTED_ALICE]));
  assert.equal(computeNextAlarm(ics, 'alice@linagora.com', NOW, 'UTC')?.eventStartTime.toISOString(), '2026-11-23T09:00:00.000Z');
});

test('several VEVENTs without RRULE: the newest version wins', () => {
  const v1 = vevent(['UID:s', 'SEQUENCE:1', 'DTSTART:20261124T100000Z', ACCEPTED_ALICE]);
  const v2 = vevent(['UID:s', 'SEQUENCE:2', 'DTSTART:20261125T100000Z', ACCEPTED_ALICE]);
  assert.equal(computeNextAlarm(vcalendar(v1, v2), 'alice@linagora.com', NOW, 'UTC')?.eventStartTime.toISOString(), '2026-11-25T10:00:00.000Z');
});

test('Windows zone names are mapped; an unknown TZID is an error, never silently UTC', () => {
  const windows = vcalendar(vevent(['UID:win', 'DTSTART;TZID=Romance Standard Time:20261124T100000', ACCEPTED_ALICE]));
  assert.equal(computeNextAlarm(windows, 'alice@linagora.com', NOW, 'UTC')?.eventStartTime.toISOString(), '2026-11-24T09:00:00.000Z');
  const unknown = vcalendar(vevent(['UID:unk', 'DTSTART;TZID=Mars/Olympus_Mons:20261124T100000', ACCEPTED_ALICE]));
  assert.throws(() => computeNextAlarm(unknown, 'alice@linagora.com', NOW, 'UTC'), UnknownTimezoneError);
});

test('alarmEntries: one entry per recipient, filtered by the whitelist case-insensitively, recurrenceId only when set', () => {
  const ics = vcalendar(vevent(['UID:w', 'DTSTART:20261124T100000Z', ACCEPTED_ALICE], [['ACTION:EMAIL', 'TRIGGER:-PT15M', 'ATTENDEE:mailto:alice@linagora.com', 'ATTENDEE:mailto:bob@linagora.com']]));
  const next = computeNextAlarm(ics, 'alice@linagora.com', NOW, 'UTC')!;
  const all = alarmEntries(next, ics, '/calendars/h/c/w.ics', []);
  assert.deepEqual(all.map((e) => e.recipient), ['alice@linagora.com', 'bob@linagora.com']);
  assert.deepEqual(all[0], { eventUid: 'w', recipient: 'alice@linagora.com', alarmTime: at('2026-11-24T09:45:00Z'), eventStartTime: at('2026-11-24T10:00:00Z'), recurring: false, ics, eventPath: '/calendars/h/c/w.ics' });
  assert.equal('recurrenceId' in all[0]!, false);
  assert.deepEqual(alarmEntries(next, ics, '/p', ['BOB@Linagora.com']).map((e) => e.recipient), ['bob@linagora.com']);
  assert.deepEqual(alarmEntries({ ...next, recurrenceId: '20261124T100000Z' }, ics, '/p', [])[1]?.recurrenceId, '20261124T100000Z');
});
