/**
 * Wall-clock time in a named zone → instant, with the platform's IANA database (Intl). An unknown zone is an error the
 * caller logs; it never silently becomes UTC (the reference's Java lookup did that). Windows zone names, which Outlook
 * writes in TZID, are mapped to their IANA equivalent.
 */
export class UnknownTimezoneError extends Error {
  constructor(readonly tzid: string) {
    super(`unknown time zone '${tzid}'`);
    this.name = 'UnknownTimezoneError';
  }
}

const WINDOWS_ZONES: Record<string, string> = {
  'Romance Standard Time': 'Europe/Paris',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'Pacific Standard Time': 'America/Los_Angeles',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'India Standard Time': 'Asia/Kolkata',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'UTC': 'UTC',
  'Coordinated Universal Time': 'UTC',
};

const formatters = new Map<string, Intl.DateTimeFormat>();
/** TZID as written → IANA zone, or null when unknown (TZIDs come from ICS files: bounded, negative answers kept). */
const resolved = new Map<string, string | null>();
const MAX_RESOLVED = 1000;

/** Resolves a TZID (IANA, Windows name, or a vendor-prefixed IANA path) to an IANA zone, or throws. */
export function resolveTimezone(tzid: string): string {
  let zone = resolved.get(tzid);
  if (zone === undefined) {
    zone = findZone(tzid);
    if (resolved.size >= MAX_RESOLVED) resolved.clear();
    resolved.set(tzid, zone);
  }
  if (zone === null) throw new UnknownTimezoneError(tzid);
  return zone;
}

function findZone(tzid: string): string | null {
  const candidates = [tzid, WINDOWS_ZONES[tzid], /([A-Za-z_]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/.exec(tzid)?.[1]];
  for (const c of candidates) {
    if (c && formatter(c)) return c;
  }
  return null;
}

function formatter(tz: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      return undefined;
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Offset (local − UTC, in ms) of a resolved zone at the second of an instant, asked of Intl. */
function intlOffset(instant: number, tz: string): number {
  const wall: Record<string, number> = {};
  for (const p of formatter(tz)!.formatToParts(new Date(instant))) wall[p.type] = Number(p.value);
  const asUtc = Date.UTC(wall.year!, wall.month! - 1, wall.day!, wall.hour!, wall.minute!, wall.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const DAY_MS = 86_400_000;
const MAX_DAYS_PER_ZONE = 8192;
/** A UTC day of a zone: its one offset, or the second its offset changes (ms) and the offsets before and after. */
type DayOffsets = number | { readonly change: number; readonly before: number; readonly after: number };
const dayOffsets = new Map<string, Map<number, DayOffsets>>();

/**
 * Offset (local − UTC, in ms) of a resolved zone at an instant. Intl's formatToParts was most of the time-zone work of
 * an email (≈ 6 µs a call, several per wall time), so offsets are kept per zone and UTC day: Intl is asked at the
 * day's first and last second; equal answers make the day constant, different ones are bisected to the second of the
 * change. Exact as long as a zone changes offset at most once in a UTC day: in ICU's data (418 zones, 1800–2200,
 * scanned day by day) the closest changes are a week apart (America/Boa_Vista, October 2000). The odd-second
 * local-mean-time changes are found to the second.
 */
function offsetAt(instant: number, tz: string): number {
  const day = Math.floor(instant / DAY_MS);
  let days = dayOffsets.get(tz);
  if (!days) dayOffsets.set(tz, (days = new Map()));
  let known = days.get(day);
  if (known === undefined) {
    known = dayOf(day * DAY_MS, tz);
    if (days.size >= MAX_DAYS_PER_ZONE) days.clear();
    days.set(day, known);
  }
  if (typeof known === 'number') return known;
  return Math.floor(instant / 1000) * 1000 < known.change ? known.before : known.after;
}

function dayOf(start: number, tz: string): DayOffsets {
  const before = intlOffset(start, tz);
  const after = intlOffset(start + DAY_MS - 1000, tz);
  if (before === after) return before;
  let lo = start; // offset `before` at lo, `after` at hi
  let hi = start + DAY_MS - 1000;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (intlOffset(mid, tz) === before) lo = mid;
    else hi = mid;
  }
  return { change: hi, before, after };
}

/** Offset (local − UTC, in ms) of a zone (any name `resolveTimezone` takes) at an instant; whole seconds. */
export function zoneOffset(instant: Date | number, tzid: string): number {
  return offsetAt(typeof instant === 'number' ? instant : instant.getTime(), resolveTimezone(tzid));
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The instant at which the wall clock of `tzid` shows `t`, with Java's `ZonedDateTime.of` rules (those of the
 * reference): in a DST overlap (autumn, the wall clock shows the time twice) the earlier instant; in a gap (spring,
 * the time never shows) the time shifted forward by the gap's length. Offsets change at most once within two days
 * in every zone of the tz database, so the offsets a day before and a day after are the only candidates.
 */
export function zonedToUtc(t: WallClock, tzid: string): Date {
  const tz = resolveTimezone(tzid);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  const before = offsetAt(wall - DAY_MS, tz);
  const after = offsetAt(wall + DAY_MS, tz);
  if (before === after) return new Date(wall - before);
  const fits = (offset: number) => offsetAt(wall - offset, tz) === offset;
  const byBefore = fits(before);
  const byAfter = fits(after);
  // Both fit: overlap, the earlier instant (the larger offset). One fits: that one. None: gap, the offset before it.
  if (byBefore && byAfter) return new Date(wall - Math.max(before, after));
  if (byAfter) return new Date(wall - after);
  return new Date(wall - before);
}
