import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';
import { SabreEmulator } from './sabre-emulator.js';

const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

describe('secret links and ICS download (esn-sabre emulator)', () => {
  const sabre = new SabreEmulator('admin', 'secret');
  let s: Sidecal;
  let aliceId = '';
  const alice = basic('alice@linagora.com', 'alice-pw');
  const bob = basic('bob@linagora.com', 'bob-pw');

  before(async () => {
    await sabre.start();
    s = await startForTest({ DAV_URL: `${sabre.url}/`, SELF_URL: 'https://cal.example.com/base/' });
    for (const [email, pw] of [['alice@linagora.com', 'alice-pw'], ['bob@linagora.com', 'bob-pw']] as const) {
      assert.equal((await s.webadmin!.inject({ method: 'PUT', url: `/users/${email}`, payload: { password: pw } })).statusCode, 204);
      const created = await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: 'F', lastname: 'L' } });
      assert.equal(created.statusCode, 201, created.body);
    }
    const listed = (await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { email: string; id: string }[];
    aliceId = listed.find((u) => u.email === 'alice@linagora.com')!.id;
    sabre.addCalendar(aliceId, aliceId, 'alice@linagora.com');
    sabre.addCalendar(aliceId, 'shared', 'alice@linagora.com', ['bob@linagora.com']);
    sabre.putObject(aliceId, aliceId, 'e1.ics', ics('e1', 'Planning'));
  });
  after(async () => {
    await s.close();
    await sabre.stop();
  });

  const link = (auth: string, cal: string, query = '') =>
    s.rest.inject({ method: 'GET', url: `/calendar/api/calendars/${aliceId}/${cal}/secret-link${query}`, headers: { authorization: auth } });

  test('the owner gets a stable link under self.url; the link downloads the calendar as ICS', async () => {
    const first = await link(alice, aliceId);
    assert.equal(first.statusCode, 200, first.body);
    assert.match(first.headers['content-type'] as string, /^application\/json/);
    const url = new URL(first.json().secretLink as string);
    assert.equal(url.origin + url.pathname, `https://cal.example.com/base/api/calendars/${aliceId}/${aliceId}/calendar.ics`);
    assert.match(url.searchParams.get('token')!, /^[A-Za-z0-9_-]{30}$/);
    assert.equal((await link(alice, aliceId)).json().secretLink, first.json().secretLink);

    const dl = await s.rest.inject({ method: 'GET', url: `/api/calendars/${aliceId}/${aliceId}/calendar.ics?token=${url.searchParams.get('token')}` });
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.headers['content-type'], 'text/calendar; charset=utf-8');
    assert.equal(dl.headers['content-disposition'], 'attachment; filename=calendar.ics');
    assert.match(dl.body, /BEGIN:VCALENDAR[\s\S]*UID:e1\r\n[\s\S]*SUMMARY:Planning/);
  });

  test('shouldResetLink=true (any case) issues a new token and the old one stops working', async () => {
    const old = new URL((await link(alice, aliceId)).json().secretLink).searchParams.get('token');
    const reset = await link(alice, aliceId, '?shouldResetLink=TRUE');
    const fresh = new URL(reset.json().secretLink).searchParams.get('token');
    assert.notEqual(fresh, old);
    const stale = await s.rest.inject({ method: 'GET', url: `/api/calendars/${aliceId}/${aliceId}/calendar.ics?token=${old}` });
    assert.equal(stale.statusCode, 403);
    assert.deepEqual(stale.json(), { error: { code: 403, type: 'Forbidden', message: 'Forbidden', details: 'Token validation failed' } });
    assert.equal((await link(alice, aliceId, '?shouldResetLink=yes')).json().secretLink, reset.json().secretLink);
  });

  test('only users with rights on the calendar get a link; the download runs as the link owner', async () => {
    const denied = await link(bob, aliceId);
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.code, 403);
    const shared = await link(bob, 'shared');
    assert.equal(shared.statusCode, 200);
    const unknown = await link(bob, 'nope');
    assert.equal(unknown.statusCode, 403);
    assert.equal((await s.rest.inject({ method: 'GET', url: `/calendar/api/calendars/${aliceId}/${aliceId}/secret-link` })).statusCode, 401);

    // Bob loses his rights: his link now fails with 503, as the reference does for DAV denials.
    const token = new URL(shared.json().secretLink).searchParams.get('token');
    sabre.calendar(aliceId, 'shared').readers.delete('bob@linagora.com');
    const revoked = await s.rest.inject({ method: 'GET', url: `/api/calendars/${aliceId}/shared/calendar.ics?token=${token}` });
    assert.equal(revoked.statusCode, 503);
    assert.deepEqual(revoked.json(), { error: { code: 503, type: 'ServiceUnavailable', message: 'Service Unavailable', details: 'Service Unavailable' } });
  });

  test('a subscription exports its source; a calendar gone since the link was made is a 404', async () => {
    sabre.addSubscription(aliceId, 'sub1', 'alice@linagora.com', { homeId: aliceId, calendarId: aliceId });
    const token = new URL((await link(alice, 'sub1')).json().secretLink).searchParams.get('token');
    const dl = await s.rest.inject({ method: 'GET', url: `/api/calendars/${aliceId}/sub1/calendar.ics?token=${token}` });
    assert.equal(dl.statusCode, 200);
    assert.match(dl.body, /SUMMARY:Planning/);
    sabre.calendars.delete(`${aliceId}/sub1`);
    const gone = await s.rest.inject({ method: 'GET', url: `/api/calendars/${aliceId}/sub1/calendar.ics?token=${token}` });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.type, 'NotFound');
  });

  test('bad, missing and foreign tokens', async () => {
    const bad = await s.rest.inject({ method: 'GET', url: `/api/calendars/${aliceId}/${aliceId}/calendar.ics?token=a%2Bb` });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.details, 'Invalid token: only letters, digits, hyphen, and underscore are allowed.');
    assert.equal((await s.rest.inject({ method: 'GET', url: `/api/calendars/${aliceId}/${aliceId}/calendar.ics` })).statusCode, 403);
    const token = new URL((await link(alice, aliceId)).json().secretLink).searchParams.get('token');
    assert.equal((await s.rest.inject({ method: 'GET', url: `/api/calendars/${aliceId}/shared/calendar.ics?token=${token}` })).statusCode, 403);
  });
});

function ics(uid: string, summary: string): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20250101T090000Z',
    'DTSTART:20250115T100000Z', 'DTEND:20250115T110000Z', `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}
