import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monthDayYear, timeModel } from '../../src/mail/time-model.js';

/** The direct Intl computation, formatter built in the zone itself (what the cached code must reproduce). */
function oracle(instant: Date, lang: string, zone: string) {
  const parts = (f: Intl.DateTimeFormat) => Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value])) as Record<string, string>;
  const p = parts(new Intl.DateTimeFormat(lang, { timeZone: zone, weekday: 'long', day: '2-digit', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
  const n = parts(new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }));
  const time = `${p.hour ?? '00'}:${p.minute ?? '00'}`;
  const fullDate = `${p.weekday ?? ''}, ${p.day ?? ''} ${p.month ?? ''} ${p.year ?? ''}`;
  return { model: { date: `${n.year}-${n.month}-${n.day}`, time, fullDate, fullDateTime: `${fullDate} ${time}`, timezone: zone }, mdy: `${n.month}-${n.day}-${n.year}` };
}

describe('date variables (spec events-mail.md 3.1)', () => {
  it('formats fullDateTime with the comma and two-digit day', () => {
    assert.equal(timeModel(new Date('2025-07-07T05:00:00Z'), 'en', 'Asia/Ho_Chi_Minh').fullDateTime, 'Monday, 07 July 2025 12:00');
    assert.equal(timeModel(new Date('2025-12-25T08:30:00Z'), 'fr', 'Europe/Paris').fullDateTime, 'jeudi, 25 décembre 2025 09:30');
  });
  it('gives date, time and zone id', () => {
    const m = timeModel(new Date('2025-12-31T23:30:00Z'), 'en', 'Europe/Paris');
    assert.deepEqual([m.date, m.time, m.timezone], ['2026-01-01', '00:30', 'Europe/Paris']);
  });
  it('builds the calendar link date in MM-dd-yyyy', () => {
    assert.equal(monthDayYear(new Date('2023-10-01T08:00:00Z'), 'Europe/Paris'), '10-01-2023');
  });
  it('gives what Intl in the zone gives, for every language, zone and instant tried (cached by local minute)', () => {
    const langs = ['en', 'fr', 'vi', 'ru', 'de', 'ar-EG', 'ja'];
    const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Europe/Amsterdam', 'Pacific/Apia', 'UTC'];
    const instants = ['2025-03-30T00:59:59Z', '2025-03-30T01:00:00Z', '2025-10-26T00:30:00Z', '2025-10-26T01:30:59.999Z',
      '2011-12-29T09:59:00Z', '2011-12-29T10:00:00Z', '1900-06-01T11:40:27Z', '1900-06-01T11:40:28Z', '2099-12-31T23:59:30Z', '1969-12-31T23:59:59Z'];
    for (let round = 0; round < 2; round++) { // the second round answers from the caches
      for (const lang of langs) {
        for (const zone of zones) {
          for (const iso of instants) {
            const at = new Date(iso);
            const expected = oracle(at, lang, zone);
            assert.deepEqual(timeModel(at, lang, zone), expected.model, `${lang} ${zone} ${iso}`);
            assert.equal(monthDayYear(at, zone), expected.mdy, `${zone} ${iso}`);
          }
        }
      }
    }
  });
  it('gives what Intl gives at 2,000 spread instants (1900–2100) in every mail language', () => {
    let x = 42;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const at = new Date(Date.UTC(1900, 0, 1) + Math.floor((x / 2147483648) * 200 * 365.25 * 86_400_000));
      const [lang, zone] = [['en', 'fr', 'vi', 'ru', 'ar-EG'][i % 5]!, ['Europe/Paris', 'America/St_Johns', 'Asia/Kolkata', 'Europe/Moscow'][i % 4]!];
      const expected = oracle(at, lang, zone);
      assert.deepEqual(timeModel(at, lang, zone), expected.model, `${lang} ${zone} ${at.toISOString()}`);
      assert.equal(monthDayYear(at, zone), expected.mdy);
    }
  });
  it('refuses an unknown zone or language', () => {
    assert.throws(() => timeModel(new Date(), 'en', 'Mars/Olympus_Mons'));
    assert.throws(() => timeModel(new Date(), 'not a language!', 'Europe/Paris'), RangeError);
  });
});
