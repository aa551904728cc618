/** The `calendar:event:updated` owner copy of spec events-mail.md 1.5.1, as esn-sabre's PHP json_encode writes it. */
export function specUpdatedMessage(homeId: string): string {
  return `{
  "eventPath": "\\/calendars\\/${homeId}\\/${homeId}\\/a0b5a363.ics",
  "event": ["vcalendar",
    [["version", {}, "text", "2.0"], ["prodid", {}, "text", "-\\/\\/Sabre\\/\\/Sabre VObject 4.2.2\\/\\/EN"]],
    [["vevent",
      [["uid", {}, "text", "a0b5a363"],
       ["dtstart", {"tzid": "Europe\\/Paris"}, "date-time", "2025-10-02T10:00:00"],
       ["dtend", {"tzid": "Europe\\/Paris"}, "date-time", "2025-10-02T11:00:00"],
       ["dtstamp", {}, "date-time", "2025-09-20T07:47:48Z"],
       ["summary", {}, "text", "Sprint review"],
       ["location", {}, "text", "Room 42"],
       ["class", {}, "text", "PUBLIC"],
       ["organizer", {"cn": "Anne Martin"}, "cal-address", "mailto:anne@example.com"],
       ["attendee", {"partstat": "ACCEPTED", "role": "CHAIR", "cutype": "INDIVIDUAL"}, "cal-address", "mailto:anne@example.com"],
       ["attendee", {"partstat": "NEEDS-ACTION", "rsvp": "TRUE", "cn": "Bob Durand"}, "cal-address", "mailto:bob@example.com"],
       ["attendee", {"partstat": "ACCEPTED", "cutype": "RESOURCE", "cn": "Projector"}, "cal-address", "mailto:64f0c2@example.com"]],
      []]]],
  "import": false,
  "old_event": ["vcalendar", [], [["vevent", [["uid", {}, "text", "a0b5a363"], ["dtstart", {"tzid": "Europe\\/Paris"}, "date-time", "2025-10-02T09:00:00"]], []]]],
  "etag": "\\"f066260d3a4fca51ae0de0618e9555cc\\""
}`;
}

/** A weekly series with one overridden occurrence, in Asia/Ho_Chi_Minh, plus an all-day event (ICS). */
export const SERIES_ICS = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
  'BEGIN:VEVENT', 'UID:series-1', 'DTSTAMP:20250101T000000Z', 'DTSTART;TZID=Asia/Ho_Chi_Minh:20250106T090000', 'DURATION:PT30M',
  'RRULE:FREQ=WEEKLY;COUNT=5', 'SUMMARY:Weekly sync', 'ORGANIZER;CN=Anne:mailto:anne@example.com', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:series-1', 'DTSTAMP:20250101T000000Z', 'RECURRENCE-ID;TZID=Asia/Ho_Chi_Minh:20250113T090000',
  'DTSTART;TZID=Asia/Ho_Chi_Minh:20250113T150000', 'DTEND;TZID=Asia/Ho_Chi_Minh:20250113T153000', 'SUMMARY:Weekly sync (moved)', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:holiday', 'DTSTAMP:20250101T000000Z', 'DTSTART;VALUE=DATE:20250501', 'DTEND;VALUE=DATE:20250502', 'SUMMARY:Labour day', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');
