import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventModel, parseVevents } from '../../src/mail/event-model.js';
import { UPDATE_ICS } from './fixtures.js';

const withLocation = (location: string) =>
  parseVevents(UPDATE_ICS.replace('SUMMARY:Sprint review', `SUMMARY:Sprint review\r\nLOCATION:${location}`))[0]!;

describe('event model (spec events-mail.md 3.2)', () => {
  it('flags a location as a URL only when it is an absolute http(s) URL, as the URL parser reads it', () => {
    const cases: [string, boolean][] = [
      ['Room 4 & 5', false], ['https://meet.example.com/abc', true], ['HTTP://example.com', true], [' https://example.com', true],
      ['ftp://example.com/file', false], ['hall B', false], ['http://', false], ['mailto:room@example.com', false], ['https:example.com', true],
    ];
    for (const [location, url] of cases) {
      const m = eventModel(withLocation(location), 'en', 'Europe/Paris');
      assert.deepEqual([m.location.isValidURL, m.location.isAbsoluteURL, m.isLocationAValidURL], [url, url, url], location);
      assert.equal(url, (() => { try { return ['http:', 'https:'].includes(new URL(location.trim()).protocol); } catch { return false; } })(), location);
    }
  });

  it('gives start and end in the display zone and the calendar link date in the event zone', () => {
    const m = eventModel(parseVevents(UPDATE_ICS)[0]!, 'fr', 'Asia/Ho_Chi_Minh');
    assert.equal(m.start.fullDateTime, 'jeudi, 02 octobre 2025 15:30');
    assert.equal(m.end?.time, '16:30');
    assert.equal(m.sameDay, true);
    assert.equal(m.startInEventZone, '10-02-2025');
    assert.equal(m.eventZone, 'Europe/Paris');
  });

  it('an external recipient sees the event in its own zone, also when the TZID is a Windows name', () => {
    const m = eventModel(parseVevents(UPDATE_ICS.replaceAll('TZID=Europe/Paris', 'TZID=Romance Standard Time'))[0]!, 'en', undefined);
    assert.deepEqual([m.start.fullDateTime, m.end?.time, m.start.timezone, m.startInEventZone], ['Thursday, 02 October 2025 10:30', '11:30', 'Romance Standard Time', '10-02-2025']);
  });
});
