import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monthDayYear, timeModel } from '../../src/mail/time-model.js';

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
});
