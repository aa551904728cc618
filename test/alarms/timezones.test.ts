import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTimezone, UnknownTimezoneError, zonedToUtc, zoneOffset, type WallClock } from '../../src/alarms/timezones.js';

/** The plain Intl answer, asked every time (what the cached code must reproduce). */
const oracles = new Map<string, Intl.DateTimeFormat>();
function intlOffset(instant: number, tz: string): number {
  let f = oracles.get(tz);
  if (!f) oracles.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(instant / 1000) * 1000;
}

/**
 * Brute force, Java's `ZonedDateTime.of` rules: every offset the zone had within ±36 h is a candidate; those whose
 * instant shows the wall clock are solutions; the earliest solution wins (overlap); none means a gap, shifted forward
 * (the offset in force before the gap).
 */
function oracleZonedToUtc(t: WallClock, tz: string): number {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  const candidates = new Set<number>();
  for (let h = -36; h <= 36; h++) candidates.add(intlOffset(wall + h * 3_600_000, tz));
  const solutions = [...candidates].filter((o) => intlOffset(wall - o, tz) === o).map((o) => wall - o);
  if (solutions.length > 0) return Math.min(...solutions);
  return wall - intlOffset(wall - 36 * 3_600_000, tz);
}

const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Asia/Kolkata', 'Pacific/Chatham',
  'America/St_Johns', 'Africa/Monrovia', 'Europe/Amsterdam', 'Pacific/Apia', 'Antarctica/Troll', 'Asia/Ho_Chi_Minh', 'UTC'];

/** A deterministic spread of instants, 1850–2100, at odd seconds (no Math.random: failures must replay). */
function* instants(count: number): Generator<number> {
  const from = Date.UTC(1850, 0, 1);
  const span = Date.UTC(2100, 0, 1) - from;
  let x = 12345;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield from + Math.floor((x / 2147483648) * span / 1000) * 1000 + (i % 1000);
  }
}

/** The offset changes of a zone in a year, to the second: days scanned, then bisected. */
function transitions(tz: string, year: number): number[] {
  const found: number[] = [];
  let prev = Date.UTC(year, 0, 1);
  for (let t = prev + 86_400_000; t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    if (intlOffset(t, tz) !== intlOffset(prev, tz)) {
      let lo = prev;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (intlOffset(mid, tz) === intlOffset(lo, tz)) lo = mid;
        else hi = mid;
      }
      found.push(hi);
    }
    prev = t;
  }
  return found;
}

describe('time zones: offsets cached per hour give what Intl gives', () => {
  it('matches Intl at 3,000 instants from 1850 to 2100 in zones with odd offsets and rules', () => {
    for (const tz of ZONES) {
      for (const t of instants(3000)) assert.equal(zoneOffset(t, tz), intlOffset(t, tz), `${tz} at ${new Date(t).toISOString()}`);
    }
  });

  it('matches Intl on each second around DST changes and local-mean-time ends (odd-second offsets)', () => {
    const cases: [string, number][] = [['Europe/Paris', 2025], ['America/New_York', 2024], ['Australia/Lord_Howe', 2025],
      ['Pacific/Chatham', 2025], ['Europe/Amsterdam', 1937], ['Africa/Monrovia', 1972], ['Pacific/Apia', 2011], ['Europe/Paris', 1911]];
    for (const [tz, year] of cases) {
      const changes = transitions(tz, year);
      assert.ok(changes.length > 0, `${tz} changes offset in ${year}`);
      for (const change of changes) {
        const around = [...Array.from({ length: 13 }, (_, i) => (i - 6) * 600_000), ...Array.from({ length: 11 }, (_, i) => (i - 5) * 1000), 999, -1];
        for (const d of around) {
          assert.equal(zoneOffset(change + d, tz), intlOffset(change + d, tz), `${tz} at ${new Date(change + d).toISOString()}`);
        }
      }
    }
  });

  it('zonedToUtc matches the uncached computation, in gaps and overlaps too', () => {
    const walls: [WallClock, string][] = [
      [{ year: 2025, month: 3, day: 30, hour: 2, minute: 30, second: 0 }, 'Europe/Paris'], // gap: shifted forward
      [{ year: 2025, month: 10, day: 26, hour: 2, minute: 30, second: 0 }, 'Europe/Paris'], // overlap
      [{ year: 2025, month: 4, day: 6, hour: 1, minute: 45, second: 0 }, 'Australia/Lord_Howe'], // 30-minute DST
      [{ year: 2011, month: 12, day: 30, hour: 12, minute: 0, second: 0 }, 'Pacific/Apia'], // a skipped day
      [{ year: 1900, month: 6, day: 1, hour: 12, minute: 0, second: 0 }, 'Europe/Amsterdam'], // +00:19:32 LMT
      [{ year: 2025, month: 10, day: 2, hour: 10, minute: 30, second: 0 }, 'Romance Standard Time'],
      [{ year: 2025, month: 10, day: 2, hour: 10, minute: 30, second: 0 }, '/citadel.org/20190914_1/Europe/Berlin'],
    ];
    for (const [wall, tzid] of walls) {
      assert.equal(zonedToUtc(wall, tzid).getTime(), oracleZonedToUtc(wall, resolveTimezone(tzid)), `${tzid} ${JSON.stringify(wall)}`);
    }
    assert.equal(zonedToUtc(walls[0]![0], 'Europe/Paris').toISOString(), '2025-03-30T01:30:00.000Z', 'gap: 02:30 does not exist, 03:30 CEST');
    assert.equal(zonedToUtc(walls[1]![0], 'Europe/Paris').toISOString(), '2025-10-26T00:30:00.000Z', 'overlap: the first 02:30 (CEST), as Java');
    assert.equal(zonedToUtc(walls[3]![0], 'Pacific/Apia').toISOString(), '2011-12-30T22:00:00.000Z', 'a skipped day: shifted forward 24 h');
    // Around every transition of 2025 in a few zones, the early-morning wall clocks agree with the brute force.
    for (const tzid of ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'America/St_Johns']) {
      for (let day = 0; day < 365; day++) {
        for (const [hour, minute] of [[0, 30], [1, 0], [1, 30], [1, 45], [2, 0], [2, 15], [2, 30], [3, 0], [3, 30]] as const) {
          const d = new Date(Date.UTC(2025, 0, 1 + day));
          if (intlOffset(d.getTime() - 86_400_000, tzid) === intlOffset(d.getTime() + 2 * 86_400_000, tzid)) continue; // no transition near
          const wall = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute, second: 0 };
          assert.equal(zonedToUtc(wall, tzid).getTime(), oracleZonedToUtc(wall, tzid), `${tzid} ${JSON.stringify(wall)}`);
        }
      }
    }
  });

  it('resolves IANA, Windows and prefixed names, and keeps refusing an unknown one', () => {
    assert.equal(resolveTimezone('Europe/Paris'), 'Europe/Paris');
    assert.equal(resolveTimezone('Eastern Standard Time'), 'America/New_York');
    assert.equal(resolveTimezone('/citadel.org/20190914_1/Europe/Berlin'), 'Europe/Berlin');
    for (let i = 0; i < 2; i++) assert.throws(() => resolveTimezone('Mars/Olympus_Mons'), UnknownTimezoneError);
    assert.throws(() => zoneOffset(0, 'Nowhere Standard Time'), UnknownTimezoneError);
  });
});
