/** The resource's copy of a booking as esn-sabre stores it; the resource is still NEEDS-ACTION. */
export function bookingIcs(resourceId: string, organizer = 'anne@linagora.com', uid = 'booking-1'): string {
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Sabre//Sabre VObject 4.2.2//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20251001T080000Z',
    'SEQUENCE:0', 'DTSTART;TZID=Europe/Paris:20251002T100000', 'DTEND;TZID=Europe/Paris:20251002T110000', 'SUMMARY:Sprint review',
    `ORGANIZER;CN=Anne Martin:mailto:${organizer}`, `ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:${organizer}`,
    `ATTENDEE;PARTSTAT=NEEDS-ACTION;CUTYPE=RESOURCE;CN=Projector:mailto:${resourceId}@linagora.com`, 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}

/** Accept/Decline links of a resource-request email, as paths the REST server answers. */
export function moderationLinks(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/href="(https:\/\/side\.example\.com[^"]*participation\?status=(\w+)[^"]*)"/g)) {
    out[m[2]!] = m[1]!.replace(/&amp;/g, '&').replace('https://side.example.com', '');
  }
  return out;
}
