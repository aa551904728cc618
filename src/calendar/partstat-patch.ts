import ICAL from 'ical.js';
import { BadRequestError } from '../core/errors.js';

export type PartStat = 'ACCEPTED' | 'DECLINED' | 'TENTATIVE' | 'NEEDS-ACTION';

/** The attendee is not in the event (the reference's IllegalArgumentException). */
export class AttendeeNotFoundError extends BadRequestError {}

/**
 * Sets one attendee's PARTSTAT in the **first** VEVENT only (spec dav-ldap-config.md 1.4; overrides keep theirs, as in
 * the reference), bumps SEQUENCE (1 when absent) and refreshes DTSTAMP when present. Other parameters (RSVP, CN…) stay.
 * Resolves undefined when the attendee already has that PARTSTAT: nothing to write.
 */
export function patchPartStat(ics: string, attendeeEmail: string, partStat: PartStat, now: Date): string | undefined {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new AttendeeNotFoundError('No VEVENT in the calendar object');
  const address = `mailto:${attendeeEmail}`.toLowerCase();
  const attendee = event.getAllProperties('attendee').find((p) => String(p.getFirstValue()).toLowerCase() === address);
  if (!attendee) throw new AttendeeNotFoundError(`${attendeeEmail} is not an attendee of the event`);
  const current = attendee.getParameter('partstat');
  if (typeof current === 'string' && current.toUpperCase() === partStat) return undefined;
  attendee.setParameter('partstat', partStat);
  const sequence = Number(event.getFirstPropertyValue('sequence') ?? 0);
  event.updatePropertyWithValue('sequence', (Number.isFinite(sequence) ? sequence : 0) + 1);
  if (event.hasProperty('dtstamp')) event.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
  return calendar.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
}
