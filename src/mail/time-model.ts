import ICAL from 'ical.js';
import { zonedToUtc } from '../alarms/timezones.js';

/** Date strings of spec events-mail.md 3.1 "Date variables", in the display zone and the recipient's language. */
export interface TimeModel {
  date: string;
  time: string;
  fullDate: string;
  fullDateTime: string;
  timezone: string;
}

/** The instant of a DATE/DATE-TIME property value. All-day values are midnight UTC (the reference's rule, kept). */
export function instantOf(value: ICAL.Time, tzid: string | undefined, fallbackZone: string): Date {
  if (value.isDate) return new Date(Date.UTC(value.year, value.month - 1, value.day));
  const wall = { year: value.year, month: value.month, day: value.day, hour: value.hour, minute: value.minute, second: value.second };
  if (value.zone?.tzid === 'UTC' || value.toString().endsWith('Z')) {
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  }
  // TZID without a usable VTIMEZONE is the common case (esn-sabre strips them): resolve the name with Intl. Floating
  // times are read in the display zone.
  return zonedToUtc(wall, tzid ?? fallbackZone);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build (most of a mail's render time): one per (kind, language, zone). */
function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f;
}

function formatter(lang: string, zone: string): Intl.DateTimeFormat {
  return cached(`full|${lang}|${zone}`, () =>
    new Intl.DateTimeFormat(lang, { timeZone: zone, weekday: 'long', day: '2-digit', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  );
}

function numeric(zone: string): Intl.DateTimeFormat {
  return cached(`num|${zone}`, () => new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }));
}

/** `EEEE, dd MMMM yyyy` is assembled from parts: Intl gives neither the comma nor the two-digit day in every language. */
export function timeModel(instant: Date, lang: string, zone: string): TimeModel {
  const parts = Object.fromEntries(formatter(lang, zone).formatToParts(instant).map((p) => [p.type, p.value])) as Record<string, string>;
  const n = Object.fromEntries(numeric(zone).formatToParts(instant).map((p) => [p.type, p.value])) as Record<string, string>;
  const num = `${n.year}-${n.month}-${n.day}`;
  const time = `${parts.hour ?? '00'}:${parts.minute ?? '00'}`;
  const fullDate = `${parts.weekday ?? ''}, ${parts.day ?? ''} ${parts.month ?? ''} ${parts.year ?? ''}`;
  return { date: num, time, fullDate, fullDateTime: `${fullDate} ${time}`, timezone: zone };
}

/** `MM-dd-yyyy` of an instant in a zone (the "See in Calendar" link). */
export function monthDayYear(instant: Date, zone: string): string {
  const p = Object.fromEntries(
    numeric(zone).formatToParts(instant).map((x) => [x.type, x.value]),
  ) as Record<string, string>;
  return `${p.month}-${p.day}-${p.year}`;
}
