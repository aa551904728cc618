import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  createAccount,
  createCalendarObject,
  deleteCalendarObject,
  fetchCalendarObjects,
  fetchCalendars,
  getBasicAuthHeaders,
  makeCalendar,
  updateCalendarObject,
  type DAVAccount,
  type DAVCalendar,
} from 'tsdav';
import { startSidecal, type Sidecal } from '../../src/main.js';
import { silentLogger, testConfig } from '../support/sidecal.js';
import { requireEnv, uniqueName } from '../support/real.js';

/**
 * The DAV proxy with real DAV traffic: a real CalDAV server (Radicale) behind sidecal, driven by tsdav. Every
 * operation done through `/dav` is checked against the same server read directly with the impersonation login
 * (`{dav.admin.user}&{email}`, which Radicale's `auth type = none` takes as the user name).
 */
describe('DAV proxy against a real CalDAV server', () => {
  const caldav = requireEnv('CALDAV_URL');
  const email = `${uniqueName('alice').toLowerCase()}@linagora.com`;
  const proxied = getBasicAuthHeaders({ username: email, password: 'alice-pw' });
  const direct = getBasicAuthHeaders({ username: `admin&${email}`, password: 'secret' });
  let s: Sidecal;
  let viaProxy: DAVAccount;
  let viaDirect: DAVAccount;
  let calendar: DAVCalendar;

  before(async () => {
    s = await startSidecal(testConfig({ DAV_URL: caldav, REST_API_PORT: '0', REST_API_HOST: '127.0.0.1', WEBADMIN_ENABLED: 'true', WEBADMIN_PORT: '0', WEBADMIN_HOST: '127.0.0.1' }), {
      logger: silentLogger,
    });
    const created = await s.webadmin!.inject({ method: 'PUT', url: `/users/${email}`, payload: { password: 'alice-pw' } });
    assert.equal(created.statusCode, 204);
    viaProxy = await createAccount({ account: { serverUrl: `${s.restUrl}/dav/`, accountType: 'caldav' }, headers: proxied });
    viaDirect = await createAccount({ account: { serverUrl: caldav, accountType: 'caldav' }, headers: direct });
  });
  after(async () => s.close());

  const pathOf = (url: string) => new URL(url).pathname;

  test('discovery: principal and calendar home are the direct ones under /dav', () => {
    assert.ok(viaDirect.homeUrl && viaProxy.homeUrl);
    assert.equal(pathOf(viaProxy.homeUrl), `/dav${pathOf(viaDirect.homeUrl)}`);
    assert.equal(pathOf(viaProxy.principalUrl!), `/dav${pathOf(viaDirect.principalUrl!)}`);
    assert.ok(viaProxy.homeUrl.startsWith(s.restUrl), 'the home must stay on sidecal');
  });

  test('MKCALENDAR and calendar listing give the same calendars as direct access', async () => {
    const made = await makeCalendar({ url: new URL('work/', viaProxy.homeUrl).href, props: { displayname: 'Work' }, headers: proxied });
    assert.equal(made[0]?.status, 201);
    const mine = await fetchCalendars({ account: viaProxy, headers: proxied });
    const theirs = await fetchCalendars({ account: viaDirect, headers: direct });
    assert.deepEqual(
      mine.map((c) => [pathOf(c.url), c.displayName, c.ctag]),
      theirs.map((c) => [`/dav${pathOf(c.url)}`, c.displayName, c.ctag]),
    );
    const found = mine.find((c) => c.displayName === 'Work');
    assert.ok(found);
    calendar = found;
  });

  test('PUT with If-None-Match: created once, then 412', async () => {
    const first = await createCalendarObject({ calendar, filename: 'standup.ics', iCalString: ics('standup', 'Standup'), headers: proxied });
    assert.equal(first.status, 201);
    assert.ok(first.headers.get('etag'), 'the ETag travels back through the proxy');
    const again = await createCalendarObject({ calendar, filename: 'standup.ics', iCalString: ics('standup', 'Standup again'), headers: proxied });
    assert.equal(again.status, 412);
    const stored = await fetch(`${caldav.replace(/\/$/, '')}${pathOf(calendar.url).slice(4)}standup.ics`, { headers: direct });
    assert.match(await stored.text(), /SUMMARY:Standup\r\n/);
  });

  test('conditional update with If-Match: the current ETag wins, a stale one gets 412', async () => {
    const url = `${calendar.url}standup.ics`;
    const current = await fetch(url, { headers: proxied });
    const etag = current.headers.get('etag')!;
    await current.text();
    const ok = await updateCalendarObject({ calendarObject: { url, etag, data: ics('standup', 'Standup v2') }, headers: proxied });
    assert.ok(ok.status === 204 || ok.status === 201, `status ${ok.status}`);
    const stale = await updateCalendarObject({ calendarObject: { url, etag, data: ics('standup', 'Standup v3') }, headers: proxied });
    assert.equal(stale.status, 412);
    const direct2 = await fetch(`${caldav.replace(/\/$/, '')}${pathOf(url).slice(4)}`, { headers: direct });
    assert.match(await direct2.text(), /SUMMARY:Standup v2\r\n/);
  });

  test('REPORT calendar-query answers the same objects as direct access', async () => {
    await createCalendarObject({ calendar, filename: 'review.ics', iCalString: ics('review', 'Review', '20250220'), headers: proxied });
    const range = { start: '2025-01-15T00:00:00Z', end: '2025-01-16T00:00:00Z' };
    const mine = await fetchCalendarObjects({ calendar, headers: proxied, timeRange: range });
    const directCalendar = { ...calendar, url: `${caldav.replace(/\/$/, '')}${pathOf(calendar.url).slice(4)}` };
    const theirs = await fetchCalendarObjects({ calendar: directCalendar, headers: direct, timeRange: range });
    assert.equal(mine.length, 1);
    assert.deepEqual(
      mine.map((o) => [pathOf(o.url), o.etag, o.data]),
      theirs.map((o) => [`/dav${pathOf(o.url)}`, o.etag, o.data]),
    );
  });

  test('MOVE: the public Destination is rewritten to the backend, the object moves', async () => {
    const from = `${calendar.url}review.ics`;
    // Radicale compares the Destination path undecoded, so name it the way it names itself (`&` and `@` raw).
    const to = `${s.restUrl}${decodeURIComponent(pathOf(calendar.url))}review-moved.ics`;
    const moved = await fetch(from, { method: 'MOVE', headers: { ...proxied, destination: to, overwrite: 'F' } });
    await moved.text();
    assert.equal(moved.status, 201);
    const backend = `${caldav.replace(/\/$/, '')}${pathOf(calendar.url).slice(4)}`;
    assert.equal((await fetch(`${backend}review-moved.ics`, { headers: direct }).then(async (r) => (await r.text(), r.status))), 200);
    assert.equal((await fetch(`${backend}review.ics`, { headers: direct }).then(async (r) => (await r.text(), r.status))), 404);
  });

  test('DELETE through the proxy removes the object on the server', async () => {
    const res = await deleteCalendarObject({ calendarObject: { url: `${calendar.url}review-moved.ics`, etag: '' }, headers: proxied });
    assert.ok(res.status === 200 || res.status === 204, `status ${res.status}`);
    const backend = `${caldav.replace(/\/$/, '')}${pathOf(calendar.url).slice(4)}review-moved.ics`;
    assert.equal((await fetch(backend, { headers: direct }).then(async (r) => (await r.text(), r.status))), 404);
  });

  test('dot segments on the wire are refused with 400, never forwarded', async () => {
    for (const path of ['/dav/../etc/passwd', '/dav/%2e%2e/%2E%2E/x', `/dav/admin&${email}/..%2f..%2fother/`]) {
      assert.equal(await rawStatus(s.restUrl, path, proxied.authorization!), 400, path);
    }
  });

  test('no credentials: 401 with a Basic challenge; the caller cannot reach another user through the proxy', async () => {
    const anon = await fetch(calendar.url, { method: 'PROPFIND', headers: { depth: '0' } });
    await anon.text();
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate') ?? '', /^Basic /);
    const other = await fetch(`${s.restUrl}/dav${decodeURIComponent(pathOf(viaDirect.homeUrl!)).replace(email, 'bob@linagora.com')}`, { method: 'PROPFIND', headers: { ...proxied, depth: '0' } });
    await other.text();
    assert.notEqual(other.status, 207);
  });
});

/** A raw request line, so no client normalises the dot segments away before they reach sidecal. */
function rawStatus(base: string, path: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { path, headers: { authorization } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function ics(uid: string, summary: string, day = '20250115'): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//sidecal//proxy test//EN', 'BEGIN:VEVENT', `UID:${uid}@sidecal.test`, 'DTSTAMP:20250101T090000Z',
    `DTSTART:${day}T100000Z`, `DTEND:${day}T110000Z`, `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}
