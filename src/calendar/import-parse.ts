import ICAL from 'ical.js';
import { BadRequestError } from '../core/errors.js';

export interface UidGroup {
  uid: string;
  /** A VCALENDAR holding the master and its RECURRENCE-ID overrides, with the VTIMEZONEs they use. */
  ics: string;
  summary: string;
  start: string;
  end: string;
}

/**
 * Splits an uploaded ICS into one calendar object per UID (master and overrides together). Every VEVENT must have a
 * UID, else the whole file is refused; VTODO, VJOURNAL… are dropped. Several VCALENDARs in one file are merged.
 */
export function groupIcsByUid(text: string): UidGroup[] {
  const roots = parseAll(text);
  const timezones = new Map<string, ICAL.Component>();
  const groups = new Map<string, ICAL.Component[]>();
  for (const root of roots) {
    for (const tz of root.getAllSubcomponents('vtimezone')) timezones.set(String(tz.getFirstPropertyValue('tzid')), tz);
    for (const ev of root.getAllSubcomponents('vevent')) {
      const uid = ev.getFirstPropertyValue('uid');
      if (typeof uid !== 'string' || uid.trim() === '') throw new BadRequestError('Every VEVENT must have a UID');
      groups.set(uid, [...(groups.get(uid) ?? []), ev]);
    }
  }
  return [...groups].map(([uid, events]) => {
    const cal = new ICAL.Component(['vcalendar', [], []]);
    cal.addPropertyWithValue('version', '2.0');
    cal.addPropertyWithValue('prodid', '-//Linagora//sidecal import//EN');
    const used = new Set(events.flatMap((e) => e.getAllProperties().map((p) => p.getParameter('tzid')).filter((t): t is string => typeof t === 'string')));
    for (const tzid of used) {
      const tz = timezones.get(tzid);
      if (tz) cal.addSubcomponent(new ICAL.Component(tz.toJSON() as unknown[]));
    }
    for (const e of events) cal.addSubcomponent(new ICAL.Component(e.toJSON() as unknown[]));
    const master = events.find((e) => !e.hasProperty('recurrence-id')) ?? events[0]!;
    return {
      uid,
      ics: `${cal.toString().replace(/\r?\n/g, '\r\n')}\r\n`,
      summary: String(master.getFirstPropertyValue('summary') ?? ''),
      start: String(master.getFirstPropertyValue('dtstart') ?? ''),
      end: String(master.getFirstPropertyValue('dtend') ?? ''),
    };
  });
}

/** The vCards of an uploaded file. */
export function splitVCards(text: string): ICAL.Component[] {
  return parseAll(text).filter((c) => c.name === 'vcard');
}

function parseAll(text: string): ICAL.Component[] {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (e) {
    throw new BadRequestError('The uploaded file cannot be parsed', { details: (e as Error).message, cause: e });
  }
  // One component parses to [name, props, comps]; several to an array of those.
  const list = Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : (parsed as unknown[]);
  return list.map((j) => new ICAL.Component(j as unknown[]));
}
