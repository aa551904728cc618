import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAccount,
  createCalendarObject,
  fetchCalendarObjects,
  fetchCalendars,
  getBasicAuthHeaders,
  makeCalendar,
} from 'tsdav';
import { requireEnv } from '../support/real.js';

test('radicale: tsdav logs in, creates a calendar, puts an event, reads it back', async () => {
  const serverUrl = requireEnv('CALDAV_URL');
  const username = `smoke${process.pid}${Date.now().toString(36)}`;
  const headers = getBasicAuthHeaders({ username, password: 'any-password' });

  const account = await createAccount({
    account: { serverUrl, accountType: 'caldav' },
    headers,
  });
  assert.ok(account.homeUrl, 'no calendar home discovered');
  assert.ok(account.homeUrl.includes(username), `home ${account.homeUrl} is not the user's`);

  const calUrl = new URL('smoke-calendar/', account.homeUrl).href;
  const made = await makeCalendar({
    url: calUrl,
    props: { displayname: 'Smoke calendar', description: 'created by the harness smoke test' },
    headers,
  });
  assert.ok(made[0]?.ok, `MKCALENDAR failed: ${made[0]?.status} ${made[0]?.statusText}`);

  const calendars = await fetchCalendars({ account, headers });
  const calendar = calendars.find((c) => c.url === calUrl);
  assert.ok(calendar, `calendar not listed: ${calendars.map((c) => c.url).join(', ')}`);
  assert.equal(calendar.displayName, 'Smoke calendar');

  const uid = `smoke-${Date.now()}@sidecal.test`;
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//sidecal//harness smoke//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20250101T090000Z',
    'DTSTART:20250115T100000Z',
    'DTEND:20250115T110000Z',
    'SUMMARY:Harness smoke meeting',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const put = await createCalendarObject({ calendar, filename: 'smoke.ics', iCalString: ics, headers });
  assert.equal(put.status, 201);

  // REPORT calendar-query with a time range that contains the event ...
  const inRange = await fetchCalendarObjects({
    calendar,
    headers,
    timeRange: { start: '2025-01-15T00:00:00Z', end: '2025-01-16T00:00:00Z' },
  });
  assert.equal(inRange.length, 1);
  assert.match(String(inRange[0]!.data), new RegExp(`UID:${uid}`));
  assert.match(String(inRange[0]!.data), /SUMMARY:Harness smoke meeting/);

  // ... and one that does not.
  const outOfRange = await fetchCalendarObjects({
    calendar,
    headers,
    timeRange: { start: '2025-02-01T00:00:00Z', end: '2025-02-02T00:00:00Z' },
  });
  assert.equal(outOfRange.length, 0);

  // owner_only rights: another user cannot read this calendar.
  const other = await fetch(calUrl, { method: 'PROPFIND', headers: { ...getBasicAuthHeaders({ username: `${username}x`, password: 'x' }), depth: '0' } });
  await other.arrayBuffer();
  assert.equal(other.status, 403);
});
