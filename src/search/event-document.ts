import ICAL from 'ical.js';
import { UnknownTimezoneError, zonedToUtc } from '../alarms/timezones.js';
import { BadRequestError } from '../core/errors.js';

/** A name + address of an organizer, attendee or resource (`mailto:` stripped). */
export interface EventPerson {
  cn: string | null;
  email: string;
}

/**
 * One indexed VEVENT (spec storage.md 3.3, core field set plus the later `videoconferenceUrl`, `bookingLinkId` and
 * `resourceName`: `accountId` is the owner's username). Absent values are explicit nulls. `recurrenceId` is kept so
 * that a series' overridden occurrences get distinct document ids.
 */
export interface EventDocument {
  accountId: string;
  calendarURL: string;
  eventUid: string;
  summary: string | null;
  location: string | null;
  description: string | null;
  clazz: string | null;
  start: string | null;
  end: string | null;
  dtstamp: string | null;
  allDay: boolean;
  isRecurrentMaster: boolean | null;
  organizer: EventPerson | null;
  attendees: EventPerson[];
  resources: EventPerson[];
  /** [later] X-OPENPAAS-VIDEOCONFERENCE, X-OPENPAAS-BOOKING-LINK (absent from documents indexed before them). */
  videoconferenceUrl: string | null;
  bookingLinkId: string | null;
  recurrenceId: string | null;
  /**
   * [later] The DAV object's file name, last segment of `eventPath` (`sabredav-….ics`: often not `<uid>.ics`), for the
   * search hit's href. Null on reindex (exports carry no file names); absent from documents indexed before it.
   */
  resourceName: string | null;
}

/** `/calendars/<home>/<calendar>/<file>.ics` → its parts; anything else is a 400 (the message is dead-lettered). */
export function parseEventPath(eventPath: unknown): { homeId: string; calendarId: string; file: string } {
  const parts = typeof eventPath === 'string' ? eventPath.split('/').filter((p) => p !== '') : [];
  if (parts.length !== 4 || parts[0] !== 'calendars') throw new BadRequestError(`Invalid eventPath: ${String(eventPath)}`);
  return { homeId: parts[1]!, calendarId: parts[2]!, file: parts[3]! };
}

/** Documents of every VEVENT of a jCal body (AMQP messages); `resourceName` is the file name of the `eventPath`. */
export function documentsFromJcal(jcal: unknown, accountId: string, calendarURL: string, resourceName: string | null = null): EventDocument[] {
  if (!Array.isArray(jcal) || jcal[0] !== 'vcalendar') throw new BadRequestError('event is not a jCal vcalendar');
  return documentsOf(new ICAL.Component(jcal as unknown as unknown[]), accountId, calendarURL, resourceName);
}

/** Documents of every VEVENT of an ICS text (reindexing from DAV exports, which name no files: no `resourceName`). */
export function documentsFromIcs(ics: string, accountId: string, calendarURL: string): EventDocument[] {
  return documentsOf(new ICAL.Component(ICAL.parse(ics) as unknown[]), accountId, calendarURL, null);
}

/** UIDs of the VEVENTs of a jCal body (deletions need nothing else). */
export function uidsOfJcal(jcal: unknown): string[] {
  if (!Array.isArray(jcal) || jcal[0] !== 'vcalendar') throw new BadRequestError('event is not a jCal vcalendar');
  const root = new ICAL.Component(jcal as unknown as unknown[]);
  return [...new Set(root.getAllSubcomponents('vevent').map((ev) => String(ev.getFirstPropertyValue('uid') ?? '')).filter((u) => u !== ''))];
}

function documentsOf(root: ICAL.Component, accountId: string, calendarURL: string, resourceName: string | null): EventDocument[] {
  return root.getAllSubcomponents('vevent').map((ev) => {
    const uid = ev.getFirstPropertyValue('uid');
    if (typeof uid !== 'string' || uid === '') throw new BadRequestError('VEVENT without UID');
    const dtstart = ev.getFirstProperty('dtstart');
    const start = dtstart ? instantOf(dtstart) : null;
    const dtend = ev.getFirstProperty('dtend');
    let end = dtend ? instantOf(dtend) : null;
    const duration = ev.getFirstPropertyValue('duration');
    if (!end && start && duration instanceof ICAL.Duration) end = new Date(start.getTime() + duration.toSeconds() * 1000);
    const dtstamp = ev.getFirstProperty('dtstamp');
    const recurrenceId = ev.getFirstProperty('recurrence-id');
    const attendees = ev.getAllProperties('attendee');
    const isResource = (p: ICAL.Property) => p.getParameter('cutype') === 'RESOURCE';
    return {
      accountId,
      calendarURL,
      eventUid: uid,
      summary: text(ev, 'summary'),
      location: text(ev, 'location'),
      description: text(ev, 'description'),
      clazz: text(ev, 'class'),
      start: iso(start),
      end: iso(end),
      dtstamp: iso(dtstamp ? instantOf(dtstamp) : null),
      allDay: dtstart?.type === 'date',
      isRecurrentMaster: recurrenceId ? false : ev.hasProperty('rrule') ? true : null,
      organizer: personOf(ev.getFirstProperty('organizer')),
      attendees: attendees.filter((p) => !isResource(p)).map(personOf).filter((p): p is EventPerson => p !== null),
      resources: attendees.filter(isResource).map(personOf).filter((p): p is EventPerson => p !== null),
      videoconferenceUrl: text(ev, 'x-openpaas-videoconference'),
      bookingLinkId: text(ev, 'x-openpaas-booking-link'),
      recurrenceId: recurrenceId ? iso(instantOf(recurrenceId)) : null,
      resourceName,
    };
  });
}

function text(ev: ICAL.Component, name: string): string | null {
  const v = ev.getFirstPropertyValue(name);
  return v === null || v === undefined ? null : String(v);
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString().replace('.000Z', 'Z') : null;
}

/** DATE → midnight UTC; DATE-TIME with `Z` as is; floating with TZID → that zone; unknown zone or none → UTC. */
function instantOf(prop: ICAL.Property): Date | null {
  const t = prop.getFirstValue();
  if (!(t instanceof ICAL.Time)) return null;
  const wall = { year: t.year, month: t.month, day: t.day, hour: t.isDate ? 0 : t.hour, minute: t.isDate ? 0 : t.minute, second: t.isDate ? 0 : t.second };
  const tzid = prop.getParameter('tzid');
  if (!t.isDate && t.zone?.tzid !== 'UTC' && typeof tzid === 'string') {
    try {
      return zonedToUtc(wall, tzid);
    } catch (err) {
      if (!(err instanceof UnknownTimezoneError)) throw err;
    }
  }
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
}

function personOf(prop: ICAL.Property | null): EventPerson | null {
  if (!prop) return null;
  const value = String(prop.getFirstValue() ?? '');
  const email = value.replace(/^mailto:/i, '');
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) return null;
  const cn = prop.getParameter('cn');
  return { cn: typeof cn === 'string' ? cn : null, email };
}
