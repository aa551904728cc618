import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignJWT, decodeJwt, importPKCS8 } from 'jose';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';
import { SabreEmulator } from './sabre-emulator.js';

const EVENT = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Sabre//Sabre VObject 4.2.2//EN', 'BEGIN:VEVENT', 'UID:1234-5678', 'DTSTAMP:20250701T080000Z',
  'SEQUENCE:1', 'DTSTART:20250711T073000Z', 'DTEND:20250711T083000Z', 'SUMMARY:Team meeting', 'ORGANIZER;CN=Alice:mailto:alice@linagora.com',
  'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@linagora.com', 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:carol@external.org', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:1234-5678', 'RECURRENCE-ID:20250712T073000Z', 'DTSTAMP:20250701T080000Z', 'DTSTART:20250712T090000Z',
  'DTEND:20250712T100000Z', 'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@linagora.com', 'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n');

describe('excal participation (esn-sabre emulator)', () => {
  const sabre = new SabreEmulator('admin', 'secret');
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'sidecal-participation-'));
  let s: Sidecal;
  let bobId = '';
  let aliceId = '';

  const sign = async (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(await importPKCS8(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'RS256'));
  const claims = (action: string, attendee = 'bob@linagora.com') => ({
    attendeeEmail: attendee, organizerEmail: 'alice@linagora.com', uid: '1234-5678', calendarURI: attendee === 'bob@linagora.com' ? bobId : aliceId, action,
  });
  const answer = async (jwt?: string) => s.rest.inject({ method: 'GET', url: `/calendar/api/calendars/event/participation${jwt ? `?jwt=${jwt}` : ''}` });
  const bobCopy = () => sabre.calendar(bobId, bobId).objects.get('ev.ics')!;

  before(async () => {
    await sabre.start();
    writeFileSync(join(dir, 'private.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'public.pem'), keys.publicKey.export({ type: 'spki', format: 'pem' }));
    s = await startForTest({
      DAV_URL: sabre.url, SPA_EXCAL_URL: 'https://excal.example.com/',
      JWT_KEY_PRIVATE: `file://${join(dir, 'private.pem')}`, JWT_KEY_PUBLIC: `file://${join(dir, 'public.pem')}`,
    });
    for (const email of ['alice@linagora.com', 'bob@linagora.com']) {
      assert.equal((await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: 'F', lastname: 'L' } })).statusCode, 201);
    }
    const listed = (await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { email: string; id: string }[];
    bobId = listed.find((u) => u.email === 'bob@linagora.com')!.id;
    aliceId = listed.find((u) => u.email === 'alice@linagora.com')!.id;
    sabre.addCalendar(bobId, bobId, 'bob@linagora.com');
    sabre.addCalendar(aliceId, aliceId, 'alice@linagora.com');
    sabre.putObject(bobId, bobId, 'ev.ics', EVENT);
    sabre.putObject(aliceId, aliceId, 'ev.ics', EVENT);
  });
  after(async () => {
    await s.close();
    await sabre.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a known attendee accepts: PARTSTAT written as the attendee, SEQUENCE+1, first VEVENT only; the event and fresh links come back', async () => {
    const res = await answer(await sign(claims('ACCEPTED')));
    assert.equal(res.statusCode, 200, res.body);
    const stored = bobCopy();
    assert.equal(stored.writtenBy, 'bob@linagora.com');
    assert.match(stored.ics, /ATTENDEE;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:bob@linagora\.com/);
    assert.match(stored.ics, /SEQUENCE:2\r\n/);
    const first = stored.ics.split('END:VEVENT')[0]!;
    assert.match(first, /DTSTAMP:\d{8}T\d{6}Z/);
    assert.doesNotMatch(first, /DTSTAMP:20250701T080000Z/, 'DTSTAMP is refreshed');
    assert.match(stored.ics, /RECURRENCE-ID[\s\S]*ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob/, 'overrides keep their PARTSTAT');
    const body = res.json();
    assert.equal(body.attendeeEmail, 'bob@linagora.com');
    assert.equal(body.locale, 'en');
    assert.equal(body.eventJSON[0], 'vcalendar');
    assert.match(JSON.stringify(body.eventJSON), /"partstat":"ACCEPTED"/);
    for (const [k, action] of [['yes', 'ACCEPTED'], ['no', 'REJECTED'], ['maybe', 'TENTATIVE']] as const) {
      assert.match(body.links[k], /^https:\/\/excal\.example\.com\/excal\/\?jwt=eyJ/);
      const c = decodeJwt(body.links[k].split('jwt=')[1]);
      assert.equal(c.action, action);
      assert.equal(c.exp, undefined, 'excal links never expire');
    }
  });

  test('the same answer again writes nothing', async () => {
    const before = bobCopy().etag;
    assert.equal((await answer(await sign(claims('ACCEPTED')))).statusCode, 200);
    assert.equal(bobCopy().etag, before);
  });

  test('a concurrent edit (412) is re-read and retried, keeping the other writer\'s change', async () => {
    sabre.simulateConcurrentWrites(2);
    const res = await answer(await sign(claims('REJECTED')));
    assert.equal(res.statusCode, 200, res.body);
    assert.match(bobCopy().ics, /PARTSTAT=DECLINED/);
    assert.match(bobCopy().ics, /COMMENT:concurrent edit/);
  });

  test('an external attendee answers through the organizer', async () => {
    const res = await answer(await sign(claims('TENTATIVE', 'carol@external.org')));
    assert.equal(res.statusCode, 200, res.body);
    const stored = sabre.calendar(aliceId, aliceId).objects.get('ev.ics')!;
    assert.equal(stored.writtenBy, 'alice@linagora.com');
    assert.match(stored.ics, /ATTENDEE;PARTSTAT=TENTATIVE:mailto:carol@external\.org/);
  });

  test('errors: missing/invalid JWT → 401 with body, unknown event → 404, unknown attendee → 401', async () => {
    for (const jwt of [undefined, 'not-a-jwt', await sign({ ...claims('MAYBE') })]) {
      const res = await answer(jwt);
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { error: { code: 401, type: 'Unauthorized', message: 'Unauthorized', details: 'JWT is missing or invalid' } });
    }
    const gone = await answer(await sign({ ...claims('ACCEPTED'), uid: 'deleted-meeting' }));
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 404);
    const stranger = await answer(await sign({ ...claims('ACCEPTED', 'dave@external.org') }));
    assert.equal(stranger.statusCode, 401);
  });

  test('esn-sabre down: HTTP 400 with a code-500 body', async () => {
    const jwt = await sign(claims('ACCEPTED'));
    await sabre.stop();
    const res = await answer(jwt);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 500);
  });
});
