import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentsFromIcs, documentsFromJcal, parseEventPath, uidsOfJcal } from '../../src/search/event-document.js';
import { SERIES_ICS, specUpdatedMessage } from './fixtures.js';

test('the spec message: one document, TZID honoured, organizer/attendees/resources split, mailto stripped', () => {
  const payload = JSON.parse(specUpdatedMessage('6801fcef72cc50005a04e5fb')) as { event: unknown };
  assert.deepEqual(documentsFromJcal(payload.event, 'owner@example.com', '6801fcef72cc50005a04e5fb/6801fcef72cc50005a04e5fb', 'sabredav-7f3a.ics'), [{
    accountId: 'owner@example.com', calendarURL: '6801fcef72cc50005a04e5fb/6801fcef72cc50005a04e5fb', eventUid: 'a0b5a363',
    summary: 'Sprint review', location: 'Room 42', description: null, clazz: 'PUBLIC',
    start: '2025-10-02T08:00:00Z', end: '2025-10-02T09:00:00Z', dtstamp: '2025-09-20T07:47:48Z', allDay: false, isRecurrentMaster: null,
    organizer: { cn: 'Anne Martin', email: 'anne@example.com' },
    attendees: [{ cn: null, email: 'anne@example.com' }, { cn: 'Bob Durand', email: 'bob@example.com' }],
    resources: [{ cn: 'Projector', email: '64f0c2@example.com' }],
    videoconferenceUrl: null, bookingLinkId: null,
    recurrenceId: null, resourceName: 'sabredav-7f3a.ics',
  }]);
});

test('X-OPENPAAS-VIDEOCONFERENCE and X-OPENPAAS-BOOKING-LINK are kept, from jCal and from ICS', () => {
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:booked', 'DTSTART:20250601T090000Z',
    'X-OPENPAAS-VIDEOCONFERENCE:https://meet.example.com/abc-def', 'X-OPENPAAS-BOOKING-LINK:550e8400-e29b-41d4-a716-446655440000',
    'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const expected = [['https://meet.example.com/abc-def', '550e8400-e29b-41d4-a716-446655440000']];
  assert.deepEqual(documentsFromIcs(ics, 'u@example.com', 'h/c').map((d) => [d.videoconferenceUrl, d.bookingLinkId]), expected);
  const jcal = ['vcalendar', [], [['vevent', [['uid', {}, 'text', 'booked'], ['dtstart', {}, 'date-time', '2025-06-01T09:00:00Z'],
    ['x-openpaas-videoconference', {}, 'unknown', 'https://meet.example.com/abc-def'], ['x-openpaas-booking-link', {}, 'unknown', '550e8400-e29b-41d4-a716-446655440000']], []]]];
  assert.deepEqual(documentsFromJcal(jcal, 'u@example.com', 'h/c').map((d) => [d.videoconferenceUrl, d.bookingLinkId]), expected);
});

test('ICS: a series is a master plus its override; DURATION gives the end; all-day is midnight UTC', () => {
  const docs = documentsFromIcs(SERIES_ICS, 'u@example.com', 'h/c');
  const pick = (d: (typeof docs)[number]) => [d.eventUid, d.start, d.end, d.allDay, d.isRecurrentMaster, d.recurrenceId, d.resourceName];
  // An export names no files: no resourceName, the hit's href falls back to <uid>.ics.
  assert.deepEqual(docs.map(pick), [
    ['series-1', '2025-01-06T02:00:00Z', '2025-01-06T02:30:00Z', false, true, null, null],
    ['series-1', '2025-01-13T08:00:00Z', '2025-01-13T08:30:00Z', false, false, '2025-01-13T02:00:00Z', null],
    ['holiday', '2025-05-01T00:00:00Z', '2025-05-02T00:00:00Z', true, null, null, null],
  ]);
});

test('event paths and bodies that are not what esn-sabre sends are rejected', () => {
  assert.deepEqual(parseEventPath('/calendars/h/c/e.ics'), { homeId: 'h', calendarId: 'c', file: 'e.ics' });
  for (const bad of ['/addressbooks/h/c/e.ics', '/calendars/h/e.ics', undefined, 42]) assert.throws(() => parseEventPath(bad), /Invalid eventPath/);
  assert.throws(() => documentsFromJcal('BEGIN:VCALENDAR', 'a', 'h/c'), /not a jCal/);
  assert.deepEqual(uidsOfJcal(['vcalendar', [], [['vevent', [['uid', {}, 'text', 'x']], []], ['vevent', [['uid', {}, 'text', 'x']], []]]]), ['x']);
});
