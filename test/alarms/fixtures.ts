/** Builds calendar objects the way esn-sabre stores them (VALARM ATTENDEE = the copy's owner). */
export function vevent(lines: string[], alarms: string[][] = [['ACTION:EMAIL', 'TRIGGER:-PT15M', 'ATTENDEE:mailto:alice@linagora.com']]): string {
  const valarms = alarms.map((a) => ['BEGIN:VALARM', ...a, 'END:VALARM'].join('\r\n'));
  return ['BEGIN:VEVENT', ...lines, ...valarms, 'END:VEVENT'].join('\r\n');
}

export function vcalendar(...vevents: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Sabre//Sabre VObject 4//EN', ...vevents, 'END:VCALENDAR', ''].join('\r\n');
}

export const ACCEPTED_ALICE = 'ATTENDEE;PARTSTAT=ACCEPTED;CN=Alice:mailto:alice@linagora.com';
export const ORGANIZER_BOB = 'ORGANIZER;CN=Bob:mailto:bob@linagora.com';
