import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { MemoryMessageBus } from '../../src/events/message-bus.memory.js';
import type { Sidecal } from '../../src/main.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';
import { startForTest } from '../support/sidecal.js';

const basic = (user: string) => `Basic ${Buffer.from(`${user}:pw`).toString('base64')}`;

const LINK = '550e8400-e29b-41d4-a716-446655440000';
const ics = (uid: string, summary: string, extra: string[] = []) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20250101T000000Z', 'DTSTART:20250601T090000Z',
    'DTEND:20250601T100000Z', `SUMMARY:${summary}`, ...extra, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

interface Hit {
  _links: { self: { href: string } };
  data: { uid: string; userId: string; calendarId: string; 'x-openpaas-videoconference': string | null; 'x-openpaas-booking-link': string | null };
}

/**
 * The later scope of rest-api.md 4.21 against the esn-sabre emulator. Alice's calendar list holds her own calendars,
 * a delegation of Bob's default calendar and a subscription to Carol's public one; Bob's `private` calendar is
 * shared with nobody.
 */
describe('POST /calendar/api/events/search: calendars resolved through the requester\'s DAV calendar list', () => {
  const sabre = new SabreEmulator('admin', 'secret');
  let s: Sidecal;
  const id: Record<string, string> = {};

  const search = async (body: unknown, user = 'alice@linagora.com') =>
    s.rest.inject({ method: 'POST', url: '/calendar/api/events/search', headers: { authorization: basic(user) }, payload: body as object });
  const hits = async (body: unknown, user?: string): Promise<Hit[]> => {
    const res = await search(body, user);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { _embedded: { events: Hit[] } })._embedded.events;
  };
  const uids = async (body: unknown, user?: string) => (await hits(body, user)).map((h) => h.data.uid).sort();
  const cal = (user: string, calendarId = id[user]!) => ({ userId: id[user]!, calendarId });

  before(async () => {
    await sabre.start();
    s = await startForTest({ DAV_URL: `${sabre.url}/` });
    for (const name of ['alice', 'bob', 'carol', 'dave']) {
      const email = `${name}@linagora.com`;
      await s.webadmin!.inject({ method: 'PUT', url: `/users/${email}`, payload: { password: 'pw' } });
      await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: name, lastname: 'L' } });
    }
    // Registered in the credentials only: no OpenPaaS user behind the login.
    await s.webadmin!.inject({ method: 'PUT', url: '/users/ghost@linagora.com', payload: { password: 'pw' } });
    for (const u of (await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { id: string; email: string }[]) {
      id[u.email.split('@')[0]!] = u.id;
    }
    const [alice, bob, carol] = [id.alice!, id.bob!, id.carol!];
    sabre.addCalendar(alice, alice, 'alice@linagora.com');
    sabre.addCalendar(alice, 'work', 'alice@linagora.com');
    sabre.addCalendar(bob, bob, 'bob@linagora.com');
    sabre.addCalendar(bob, 'private', 'bob@linagora.com');
    sabre.addCalendar(carol, 'public', 'carol@linagora.com');
    sabre.addDelegation(alice, 'delegated-bob', 'alice@linagora.com', { homeId: bob, calendarId: bob });
    sabre.addSubscription(alice, 'subscribed-carol', 'alice@linagora.com', { homeId: carol, calendarId: 'public' });
    const bus = s.bus as MemoryMessageBus;
    const index = (home: string, calendar: string, uid: string, summary: string, extra?: string[]) =>
      bus.publish('calendar:event:created', { eventPath: `/calendars/${home}/${calendar}/${uid}.ics`, event: new ICAL.Component(ICAL.parse(ics(uid, summary, extra))).toJSON() });
    await index(alice, alice, 'alice-default', 'Alice standup');
    await index(alice, 'work', 'alice-work', 'Alice review');
    await index(bob, bob, 'bob-default', 'Bob standup', [`X-OPENPAAS-BOOKING-LINK:${LINK}`, 'X-OPENPAAS-VIDEOCONFERENCE:https://meet.example.com/bob']);
    await index(bob, 'private', 'bob-private', 'Bob secret standup');
    await index(carol, 'public', 'carol-public', 'Carol standup');
    await bus.idle();
  });
  after(async () => {
    await s.close();
    await sabre.stop();
  });

  test('the delegate finds the owner\'s events through the delegated calendar, reported in the owner\'s calendar', async () => {
    const found = await hits({ calendars: [cal('alice', 'delegated-bob')] });
    assert.deepEqual(
      found.map((h) => [h.data.uid, h.data.userId, h.data.calendarId, h._links.self.href]),
      [['bob-default', id.bob, id.bob, `/calendars/${id.bob}/${id.bob}/bob-default.ics`]],
    );
    // The source named directly is allowed too: it is the source of an entry of the list.
    assert.deepEqual(await uids({ calendars: [cal('bob')] }), ['bob-default']);
  });

  test('the subscriber finds the source calendar\'s events through the subscription', async () => {
    assert.deepEqual(await uids({ calendars: [cal('alice', 'subscribed-carol')], query: 'standup' }), ['carol-public']);
  });

  test('own, delegated and subscribed together; the same source twice counts once', async () => {
    const all = [cal('alice'), cal('alice', 'work'), cal('alice', 'delegated-bob'), cal('bob'), cal('alice', 'subscribed-carol')];
    assert.deepEqual(await uids({ calendars: all }), ['alice-default', 'alice-work', 'bob-default', 'carol-public']);
    assert.deepEqual(await uids({ calendars: all, query: 'standup' }), ['alice-default', 'bob-default', 'carol-public']);
  });

  test('a calendar not in the requester\'s list is dropped; nobody else reads through someone else\'s list', async () => {
    assert.deepEqual(await uids({ calendars: [cal('alice'), cal('bob', 'private')] }), ['alice-default']);
    assert.deepEqual(await uids({ calendars: [cal('bob', 'private')] }), []);
    assert.deepEqual(await uids({ calendars: [cal('carol', 'public')] }, 'dave@linagora.com'), []);
    // Naming Alice's mirror does not give Dave its source: the mirror is in Alice's list, not his.
    assert.deepEqual(await uids({ calendars: [cal('alice', 'delegated-bob')] }, 'dave@linagora.com'), []);
    assert.deepEqual(await uids({ calendars: [cal('alice')] }, 'dave@linagora.com'), []);
  });

  test('calendars [] finds nothing; without calendars, the caller\'s own account (core scope, older clients)', async () => {
    assert.deepEqual(await uids({ calendars: [] }), []);
    assert.deepEqual(await uids({ calendars: [], query: 'standup' }), []);
    assert.deepEqual(await uids({}), ['alice-default', 'alice-work']);
    assert.deepEqual(await uids({ calendars: null, query: 'standup' }), ['alice-default']);
  });

  test('the query is optional: absent or blank is every event of the scope', async () => {
    const scope = [cal('alice', 'delegated-bob'), cal('alice', 'work')];
    assert.deepEqual(await uids({ calendars: scope }), ['alice-work', 'bob-default']);
    assert.deepEqual(await uids({ calendars: scope, query: '  ' }), ['alice-work', 'bob-default']);
    assert.deepEqual(await uids({ calendars: scope, query: 'review' }), ['alice-work']);
    assert.deepEqual(await uids({ calendars: scope, query: null }), ['alice-work', 'bob-default']);
  });

  test('an unknown requester finds nothing', async () => {
    assert.deepEqual(await uids({ calendars: [cal('bob')] }, 'ghost@linagora.com'), []);
  });

  test('esn-sabre failing is a 5xx error, never a wider scope; [] and the own default calendar need no listing', async () => {
    sabre.listingFailure = 500;
    try {
      const res = await search({ calendars: [cal('alice', 'delegated-bob')] });
      assert.equal(res.statusCode, 502);
      const body = res.json() as { error: { code: number; details: string } };
      assert.equal(body.error.code, 502);
      assert.match(body.error.details, /Unexpected status code: 500/);
      assert.deepEqual(await uids({ calendars: [] }), []);
      assert.deepEqual(await uids({ calendars: [cal('alice')] }), ['alice-default']);
    } finally {
      sabre.listingFailure = undefined;
    }
  });

  test('more than 256 resolved calendars is a 400; 256 are fine', async () => {
    const dave = id.dave!;
    for (let i = 0; i < 257; i++) sabre.addCalendar(dave, `c${i}`, 'dave@linagora.com');
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: dave, calendarId: `c${i}` }));
    const res = await search({ calendars: many(257) }, 'dave@linagora.com');
    assert.equal(res.statusCode, 400);
    assert.equal((res.json() as { error: { details: string } }).error.details, 'A search covers at most 256 calendars, got 257');
    assert.deepEqual(await uids({ calendars: many(256) }, 'dave@linagora.com'), []);
    // Requested calendars outside the list do not count.
    assert.deepEqual(await uids({ calendars: [...many(256), cal('bob', 'private')] }, 'dave@linagora.com'), []);
  });

  test('the later fields x-openpaas-videoconference and x-openpaas-booking-link; the bookingLink filter', async () => {
    const all = [cal('alice'), cal('alice', 'delegated-bob')];
    const data = (await hits({ calendars: all })).map((h) => [h.data.uid, h.data['x-openpaas-videoconference'], h.data['x-openpaas-booking-link']]);
    assert.deepEqual(data.sort(), [['alice-default', null, null], ['bob-default', 'https://meet.example.com/bob', LINK]]);
    assert.deepEqual(await uids({ calendars: all, bookingLink: LINK }), ['bob-default']);
    assert.deepEqual(await uids({ calendars: all, bookingLink: LINK.toUpperCase() }), ['bob-default'], 'a UUID in upper case is the same link');
    assert.deepEqual(await uids({ calendars: all, bookingLink: '9b2f1c4e-0000-4000-8000-000000000001' }), []);
    assert.deepEqual(await uids({ calendars: all, bookingLink: ' ' }), ['alice-default', 'bob-default'], 'blank: no filter');
    assert.deepEqual(await uids({ bookingLink: LINK }, 'bob@linagora.com'), ['bob-default'], 'also in the core scope');
  });

  test('a hit links to the DAV object by the file name of its eventPath, as esn-sabre encodes hrefs', async () => {
    const dave = id.dave!;
    sabre.addCalendar(dave, 'filed', 'dave@linagora.com');
    const bus = s.bus as MemoryMessageBus;
    for (const [uid, file] of [['dave-sabre', 'sabredav-5d1c9a.ics'], ['dave-odd', 'Team sync #2.ics']]) {
      await bus.publish('calendar:event:created', { eventPath: `/calendars/${dave}/filed/${file}`, event: new ICAL.Component(ICAL.parse(ics(uid!, 'Dave filed'))).toJSON() });
    }
    await bus.idle();
    const links = async (body: unknown) => (await hits(body, 'dave@linagora.com')).map((h) => [h.data.uid, h._links.self.href]).sort();
    const expected = [['dave-odd', `/calendars/${dave}/filed/Team%20sync%20%232.ics`], ['dave-sabre', `/calendars/${dave}/filed/sabredav-5d1c9a.ics`]];
    assert.deepEqual(await links({ calendars: [cal('dave', 'filed')] }), expected);
    assert.deepEqual(await links({ query: 'filed' }), expected, 'the core scope too');
  });

  test('bad bodies are 400s with the reference\'s messages', async () => {
    const details = async (body: unknown) => {
      const res = await search(body);
      return [res.statusCode, (res.json() as { error: { details: string } }).error.details];
    };
    assert.deepEqual(await details({ calendars: [{ userId: '', calendarId: 'c' }] }), [400, 'userId field is missing']);
    assert.deepEqual(await details({ calendars: [null] }), [400, 'userId field is missing']);
    assert.deepEqual(await details({ calendars: [{ userId: 'u', calendarId: ' ' }] }), [400, 'calendarId field is missing']);
    assert.deepEqual(await details({ calendars: 'all' }), [400, 'calendars must be an array']);
    assert.deepEqual(await details({ query: 42 }), [400, 'query must be a string']);
    assert.deepEqual(await details({ bookingLink: 'not-a-uuid' }), [400, 'Invalid bookingLink: not-a-uuid']);
    assert.deepEqual(await details({ bookingLink: 42 }), [400, 'Invalid bookingLink: 42']);
    assert.deepEqual(await details({ bookingLink: `${LINK}0` }), [400, `Invalid bookingLink: ${LINK}0`]);
  });
});
