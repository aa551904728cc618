import ICAL from 'ical.js';
import { instantOf, monthDayYear, timeModel, type TimeModel } from './time-model.js';

export interface Person {
  cn: string;
  email: string;
}

/** `content.event` of spec events-mail.md 3.2, built from one VEVENT. */
export interface EventModel {
  uid: string;
  summary: string;
  allDay: boolean;
  /** Start and end on the same day in the display zone (decides the shape of the time line). */
  sameDay: boolean;
  start: TimeModel;
  end: TimeModel | undefined;
  organizer: Person;
  attendees: (Person & { isOrganizer: boolean; partstat: string })[];
  resources: string[];
  hasResources: boolean;
  location: { value: string; isValidURL: boolean; isAbsoluteURL: boolean; mapUrl: string };
  /** The reference's templates read these misnamed flags (spec 3.2 trap); emitted for operator templates. */
  isLocationAValidURL: boolean;
  isLocationAnAbsoluteURL: boolean;
  description: string;
  videoConferenceLink: string;
  comment: string;
  /** `MM-dd-yyyy` of the start in the event's own zone. */
  startInEventZone: string;
  /** The event's own zone (DTSTART TZID), else the display zone. */
  eventZone: string;
}

export function parseVevents(ics: string): ICAL.Component[] {
  return new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');
}

function mailto(v: unknown): string {
  return String(v ?? '').replace(/^mailto:/i, '').trim().toLowerCase();
}

/** What the excal links need of a VEVENT, as `eventModel` gives them: read without building the whole model. */
export function linkFields(vevent: ICAL.Component): { uid: string; organizerEmail: string } {
  return { uid: String(vevent.getFirstPropertyValue('uid') ?? '').trim(), organizerEmail: mailto(vevent.getFirstProperty('organizer')?.getFirstValue()) };
}

function isUrl(s: string): boolean {
  // Most locations are room names: a thrown URL error costs more than the rest of the event model. The parser drops
  // leading C0 controls and spaces, so an http(s) URL is one whose first other character is an h.
  if (!/^[\u0000-\u0020]*h/i.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The event in the display zone and language; `zone` undefined = the event's own zone (external recipients). */
export function eventModel(vevent: ICAL.Component, lang: string, zone: string | undefined): EventModel {
  const text = (name: string) => String(vevent.getFirstPropertyValue(name) ?? '').trim();
  const dtstartProp = vevent.getFirstProperty('dtstart');
  if (!dtstartProp) throw new Error('VEVENT without DTSTART');
  const tzid = (dtstartProp.getParameter('tzid') as string | undefined) ?? undefined;
  const eventZone = tzid ?? zone ?? 'UTC';
  const display = zone ?? eventZone;
  const dtstart = dtstartProp.getFirstValue() as ICAL.Time;
  const startInstant = instantOf(dtstart, tzid, display);
  const dtendProp = vevent.getFirstProperty('dtend');
  const endInstant = dtendProp ? instantOf(dtendProp.getFirstValue() as ICAL.Time, (dtendProp.getParameter('tzid') as string | undefined) ?? tzid, display) : undefined;
  const start = timeModel(startInstant, lang, display);
  const end = endInstant ? timeModel(endInstant, lang, display) : undefined;
  const organizerProp = vevent.getFirstProperty('organizer');
  const organizer = { cn: String(organizerProp?.getParameter('cn') ?? ''), email: mailto(organizerProp?.getFirstValue()) };
  const people = vevent.getAllProperties('attendee').map((a) => ({
    cn: String(a.getParameter('cn') ?? ''),
    email: mailto(a.getFirstValue()),
    partstat: String(a.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase(),
    resource: String(a.getParameter('cutype') ?? '').toUpperCase() === 'RESOURCE',
  }));
  // The organizer's own ATTENDEE line often has no CN; the ORGANIZER line usually has it.
  const attendees = people
    .filter((p) => !p.resource)
    .map(({ cn, email, partstat }) => ({ cn: cn || (email === organizer.email ? organizer.cn : ''), email, partstat, isOrganizer: email === organizer.email }));
  attendees.sort((a, b) => Number(b.isOrganizer) - Number(a.isOrganizer));
  const resources = people.filter((p) => p.resource).map((p) => p.cn || p.email);
  const location = text('location');
  const url = isUrl(location);
  const video = vevent.getAllProperties('x-openpaas-videoconference').map((p) => String(p.getFirstValue() ?? '').trim()).find((v) => v !== '') ?? '';
  return {
    uid: text('uid'),
    summary: text('summary'),
    allDay: dtstart.isDate,
    // The exclusive DTEND of an all-day event is shown as is (reference behaviour): one day = end is the next day.
    sameDay: end === undefined || (dtstart.isDate ? endInstant!.getTime() - startInstant.getTime() <= 86_400_000 : start.date === end.date),
    start,
    end,
    organizer,
    attendees,
    resources,
    hasResources: resources.length > 0,
    location: { value: location, isValidURL: url, isAbsoluteURL: url, mapUrl: `https://www.openstreetmap.org/search?query=${encodeURIComponent(location)}` },
    isLocationAValidURL: url,
    isLocationAnAbsoluteURL: url,
    description: text('description'),
    videoConferenceLink: video,
    comment: text('comment'),
    startInEventZone: monthDayYear(startInstant, eventZone),
    eventZone,
  };
}
