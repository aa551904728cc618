/**
 * Durations and sizes as operators write them. Durations: `12h`, `5m`, `300ms`, `1 day`, `2w`, `1month`, `1y`, plain
 * numbers in a per-key default unit, or ISO-8601 (`PT12H`, `P1D`). Sizes: `50MiB`, `10MB`, `512k`, plain bytes.
 */
const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
  month: 2_592_000_000,
  months: 2_592_000_000,
  y: 31_536_000_000,
  year: 31_536_000_000,
  years: 31_536_000_000,
};

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/** Returns milliseconds, or throws an Error whose message says what is accepted. */
export function parseDuration(input: string, defaultUnit: DurationUnit = 'ms'): number {
  const text = input.trim();
  if (/^-?P/i.test(text)) return parseIsoDuration(text);
  const m = /^(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text);
  if (!m) throw new Error(`'${input}' is not a duration (examples: 500ms, 30s, 5m, 12h, 1d, PT12H)`);
  const amount = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase() || defaultUnit;
  const factor = DURATION_UNITS[unit];
  if (factor === undefined) throw new Error(`'${input}' has an unknown duration unit '${m[2]}'`);
  return Math.round(amount * factor);
}

function parseIsoDuration(text: string): number {
  const m = /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
    text,
  );
  if (!m || text.toUpperCase() === 'P' || text.toUpperCase().endsWith('T')) {
    throw new Error(`'${text}' is not an ISO-8601 duration (example: PT12H)`);
  }
  const n = (i: number) => Number(m[i] ?? 0);
  const ms =
    n(2) * DURATION_UNITS.y! +
    n(3) * DURATION_UNITS.month! +
    n(4) * DURATION_UNITS.w! +
    n(5) * DURATION_UNITS.d! +
    n(6) * DURATION_UNITS.h! +
    n(7) * DURATION_UNITS.m! +
    n(8) * DURATION_UNITS.s!;
  return Math.round(m[1] ? -ms : ms);
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** Returns bytes. */
export function parseSize(input: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(input.trim());
  const factor = m ? SIZE_UNITS[(m[2] ?? '').toLowerCase()] : undefined;
  if (!m || factor === undefined) throw new Error(`'${input}' is not a size (examples: 1048576, 512KiB, 50MiB, 1GiB)`);
  return Math.round(Number(m[1]) * factor);
}

export function parseBoolean(input: string): boolean {
  const v = input.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new Error(`'${input}' is not a boolean (true/false)`);
}
