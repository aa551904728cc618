import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { startSidecal, type Sidecal } from '../../src/main.js';
import type { MemoryMessageBus } from '../../src/events/message-bus.memory.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';
import { specUpdatedMessage } from '../search/fixtures.js';
import { silentLogger, testConfig } from '../support/sidecal.js';

const STEPS = ['DavCalendarDeletionTaskStep', 'DavContactDeletionTaskStep', 'CalendarSearchDeletionTaskStep', 'OpenPaaSUserDeletionTaskStep'];
const card = (uid: string) => `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${uid}\r\nFN:${uid}\r\nEND:VCARD\r\n`;
const ics = 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n';

async function start(davUrl: string): Promise<Sidecal> {
  return startSidecal(testConfig({ DAV_URL: davUrl }), { logger: silentLogger, listen: false });
}

/** Registers a James user and its OpenPaaS profile; returns the OpenPaaS id (the DAV home). */
async function registerUser(s: Sidecal, email: string): Promise<string> {
  const wa = (o: InjectOptions) => s.webadmin!.inject(o);
  assert.equal((await wa({ method: 'PUT', url: `/users/${email}`, payload: { password: 'pw' } })).statusCode, 204);
  assert.equal((await wa({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: 'F', lastname: 'L' } })).statusCode, 201);
  const found = ((await wa({ method: 'GET', url: '/registeredUsers' })).json() as { email: string; id: string }[]).find((u) => u.email === email);
  return found!.id;
}

async function deleteData(s: Sidecal, query: string) {
  const created = await s.webadmin!.inject({ method: 'POST', url: `/users/${query}` });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.headers.location, `/tasks/${created.json().taskId}`);
  return (await s.webadmin!.inject({ method: 'GET', url: `/tasks/${created.json().taskId}/await?timeout=20s` })).json();
}

describe('POST /users/{u}?action=deleteData (spec webadmin.md 2.3)', () => {
  const sabre = new SabreEmulator('admin', 'secret');
  let s: Sidecal;
  before(async () => {
    await sabre.start();
    s = await start(sabre.url);
  });
  after(async () => {
    await s?.close();
    await sabre.stop();
  });

  test("deletes the user's calendars, contacts and OpenPaaS profile, and reports every step DONE", async () => {
    const email = 'dora@linagora.com';
    const home = await registerUser(s, email);
    sabre.addCalendar(home, home, email);
    sabre.putObject(home, home, 'a.ics', ics);
    sabre.addCalendar(home, 'extra', email);
    for (const b of ['contacts', 'friends']) sabre.books.add(`${home}/${b}`);
    sabre.contacts.set(`addressbooks/${home}/contacts/c1.vcf`, { vcard: card('c1'), writtenBy: email });
    const result = await deleteData(s, `${email}?action=deleteData`);
    assert.equal(result.status, 'completed');
    assert.equal(result.type, 'DeleteUserDataTask');
    assert.equal(result.additionalInformation.username, email);
    assert.equal(result.additionalInformation.fromStep, null);
    assert.deepEqual(result.additionalInformation.status, Object.fromEntries(STEPS.map((n) => [n, 'DONE'])));
    assert.equal(sabre.calendar(home, home).objects.size, 0);
    assert.equal(sabre.calendars.has(`${home}/extra`), false);
    assert.deepEqual([...sabre.books].filter((b) => b.startsWith(home)), [`${home}/contacts`]);
    assert.equal([...sabre.contacts.keys()].filter((k) => k.includes(home)).length, 0);
    const registered = (await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { email: string }[];
    assert.equal(registered.some((u) => u.email === email), false);
  });

  test('fromStep skips the earlier steps and leaves their data alone; the search index and profile go', async () => {
    const email = 'eric@linagora.com';
    const home = await registerUser(s, email);
    sabre.addCalendar(home, home, email);
    sabre.putObject(home, home, 'keep.ics', ics);
    const bus = s.bus as MemoryMessageBus;
    await bus.publish('calendar:event:updated', JSON.parse(specUpdatedMessage(home)));
    await bus.idle();
    const hits = async () =>
      (await s.rest.inject({ method: 'POST', url: '/calendar/api/events/search', headers: { authorization: `Basic ${Buffer.from(`${email}:pw`).toString('base64')}` }, payload: { query: 'sprint' } })).json()._total_hits;
    assert.equal(await hits(), 1);
    const result = await deleteData(s, `${email}?action=deleteData&fromStep=CalendarSearchDeletionTaskStep`);
    assert.equal(result.status, 'completed');
    assert.equal(result.additionalInformation.fromStep, 'CalendarSearchDeletionTaskStep');
    assert.deepEqual(result.additionalInformation.status, {
      DavCalendarDeletionTaskStep: 'SKIPPED', DavContactDeletionTaskStep: 'SKIPPED', CalendarSearchDeletionTaskStep: 'DONE', OpenPaaSUserDeletionTaskStep: 'DONE',
    });
    assert.equal(sabre.calendar(home, home).objects.size, 1);
    // The profile is gone with the last step; registered again, the user finds none of the old indexed events.
    assert.equal((await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: 'F', lastname: 'L' } })).statusCode, 201);
    assert.equal(await hits(), 0);
  });

  test('an unknown user is 400 unless force is present; an unknown step and a bad action are 400', async () => {
    const unknown = await s.webadmin!.inject({ method: 'POST', url: '/users/ghost@linagora.com?action=deleteData' });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().details, "'username' parameter should be an existing user");
    const forced = await deleteData(s, 'ghost@linagora.com?action=deleteData&force');
    assert.equal(forced.status, 'completed');
    await registerUser(s, 'fred@linagora.com');
    const step = await s.webadmin!.inject({ method: 'POST', url: '/users/fred@linagora.com?action=deleteData&fromStep=Nope' });
    assert.equal(step.statusCode, 400);
    assert.equal(step.json().details, 'Starting step not found: Nope');
    const action = await s.webadmin!.inject({ method: 'POST', url: '/users/fred@linagora.com?action=explode' });
    assert.equal(action.statusCode, 400);
    assert.match(action.json().details, /deleteData/);
  });
});

describe('deleteData when esn-sabre is unreachable', () => {
  test('the failing step is FAILED, the later ones ABORTED, the task failed and the profile kept', async () => {
    const s = await start('http://127.0.0.1:9/');
    try {
      await registerUser(s, 'gina@linagora.com');
      const result = await deleteData(s, 'gina@linagora.com?action=deleteData');
      assert.equal(result.status, 'failed');
      assert.deepEqual(result.additionalInformation.status, {
        DavCalendarDeletionTaskStep: 'FAILED', DavContactDeletionTaskStep: 'ABORTED', CalendarSearchDeletionTaskStep: 'ABORTED', OpenPaaSUserDeletionTaskStep: 'ABORTED',
      });
      const registered = (await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { email: string }[];
      assert.ok(registered.some((u) => u.email === 'gina@linagora.com'));
    } finally {
      await s.close();
    }
  });
});
