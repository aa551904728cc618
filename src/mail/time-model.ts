import ICAL from 'ical.js';
import { zonedToUtc, zoneOffset } from '../alarms/timezones.js';

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

/**
 * Formatting in a zone is formatting the local wall clock in UTC: the zone's offset comes from `zoneOffset` (cached per
 * zone and day), and Intl's parts in UTC are kept per language for each local day (weekday, day, month, year) and each
 * minute of the day (hour, minute), which do not depend on each other. Intl did most of a mail's render time when asked
 * per call (≈ 6 µs a formatToParts, 11 of them per mail).
 */
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_DAYS = 8192;
const MAX_LANGUAGES = 100;

interface LanguageCache {
  formatter: Intl.DateTimeFormat;
  /** local day number → `EEEE, dd MMMM yyyy` */
  fullDates: Map<number, string>;
  /** minute of the day → `HH:mm` */
  times: Map<number, string>;
}
const languages = new Map<string, LanguageCache>();
/** local day number → `[yyyy, MM, dd]` as en-US numeric parts give them. */
const numericDays = new Map<number, readonly [string, string, string]>();
const NUMERIC = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });

function language(lang: string): LanguageCache {
  let cache = languages.get(lang);
  if (!cache) {
    const formatter = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'long', day: '2-digit', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    if (languages.size >= MAX_LANGUAGES) languages.clear();
    languages.set(lang, (cache = { formatter, fullDates: new Map(), times: new Map() }));
  }
  return cache;
}

function partsOf(f: Intl.DateTimeFormat, at: number): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(at)) parts[p.type] = p.value;
  return parts;
}

/** The local wall clock of an instant in a zone, floored to the minute, as a UTC timestamp. */
function localMinute(instant: Date, zone: string): number {
  const t = instant.getTime();
  return Math.floor((t + zoneOffset(t, zone)) / MINUTE_MS) * MINUTE_MS;
}

function numericDate(day: number): readonly [string, string, string] {
  let ymd = numericDays.get(day);
  if (!ymd) {
    const n = partsOf(NUMERIC, day * DAY_MS);
    ymd = [n.year ?? '', n.month ?? '', n.day ?? ''];
    if (numericDays.size >= MAX_DAYS) numericDays.clear();
    numericDays.set(day, ymd);
  }
  return ymd;
}

/** `EEEE, dd MMMM yyyy` is assembled from parts: Intl gives neither the comma nor the two-digit day in every language. */
function fullDate(cache: LanguageCache, day: number): string {
  let text = cache.fullDates.get(day);
  if (text === undefined) {
    const p = partsOf(cache.formatter, day * DAY_MS);
    text = `${p.weekday ?? ''}, ${p.day ?? ''} ${p.month ?? ''} ${p.year ?? ''}`;
    if (cache.fullDates.size >= MAX_DAYS) cache.fullDates.clear();
    cache.fullDates.set(day, text);
  }
  return text;
}

function time(cache: LanguageCache, minuteOfDay: number): string {
  let text = cache.times.get(minuteOfDay);
  if (text === undefined) {
    const p = partsOf(cache.formatter, minuteOfDay * MINUTE_MS);
    cache.times.set(minuteOfDay, (text = `${p.hour ?? '00'}:${p.minute ?? '00'}`));
  }
  return text;
}

export function timeModel(instant: Date, lang: string, zone: string): TimeModel {
  const cache = language(lang);
  const local = localMinute(instant, zone);
  const day = Math.floor(local / DAY_MS);
  const [year, month, dd] = numericDate(day);
  const date = fullDate(cache, day);
  const hhmm = time(cache, (local - day * DAY_MS) / MINUTE_MS);
  return { date: `${year}-${month}-${dd}`, time: hhmm, fullDate: date, fullDateTime: `${date} ${hhmm}`, timezone: zone };
}

/** `MM-dd-yyyy` of an instant in a zone (the "See in Calendar" link). */
export function monthDayYear(instant: Date, zone: string): string {
  const [year, month, day] = numericDate(Math.floor(localMinute(instant, zone) / DAY_MS));
  return `${month}-${day}-${year}`;
}
