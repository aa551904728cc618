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

/** Resolves a TZID (IANA, Windows name, or a vendor-prefixed IANA path) to an IANA zone, or throws. */
export function resolveTimezone(tzid: string): string {
  const candidates = [tzid, WINDOWS_ZONES[tzid], /([A-Za-z_]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/.exec(tzid)?.[1]];
  for (const c of candidates) {
    if (c && formatter(c)) return c;
  }
  throw new UnknownTimezoneError(tzid);
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

/** Offset (local − UTC, in ms) of a zone at an instant. */
function offsetAt(instant: number, tz: string): number {
  const parts = Object.fromEntries(formatter(tz)!.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The instant at which the wall clock of `tzid` shows `t` (the earlier one in a DST overlap, shifted forward in a gap). */
export function zonedToUtc(t: WallClock, tzid: string): Date {
  const tz = resolveTimezone(tzid);
  const guess = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  const first = offsetAt(guess, tz);
  let utc = guess - first;
  const second = offsetAt(utc, tz);
  if (second !== first) utc = guess - second;
  return new Date(utc);
}
