import assert from 'node:assert/strict';
import { test } from 'node:test';
import ICAL from 'ical.js';
import type { MemoryMessageBus } from '../../src/events/message-bus.memory.js';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';
import { SERIES_ICS, specUpdatedMessage } from './fixtures.js';

const basic = (user: string) => `Basic ${Buffer.from(`${user}:pw`).toString('base64')}`;

async function withUser(run: (s: Sidecal, id: string, bus: MemoryMessageBus) => Promise<void>): Promise<void> {
  const s = await startForTest();
  try {
    await s.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'pw' } });
    await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email: 'alice@linagora.com', firstname: 'Alice', lastname: 'A' } });
    const alice = ((await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { id: string }[])[0]!;
    await run(s, alice.id, s.bus as MemoryMessageBus);
  } finally {
    await s.close();
  }
}

async function search(s: Sidecal, body: unknown, query = '') {
  return s.rest.inject({ method: 'POST', url: `/calendar/api/events/search${query}`, headers: { authorization: basic('alice@linagora.com') }, payload: body as object });
}

test('the spec calendar:event:updated message becomes searchable with the reference reply shape', async () => {
  await withUser(async (s, id, bus) => {
    await bus.publish('calendar:event:updated', JSON.parse(specUpdatedMessage(id)));
    await bus.idle();
    const res = await search(s, { query: 'sprint' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      _links: { self: { href: '/calendar/api/events/search?limit=30&offset=0' } },
      _total_hits: 1,
      _embedded: { events: [{
        _links: { self: { href: `/calendars/${id}/${id}/a0b5a363.ics` } },
        data: {
          uid: 'a0b5a363', summary: 'Sprint review', location: 'Room 42', description: null, start: '2025-10-02T08:00:00Z', end: '2025-10-02T09:00:00Z',
          class: 'PUBLIC', allDay: false, hasResources: true, durationInDays: 0, isRecurrentMaster: null,
          attendees: [{ cn: null, email: 'anne@example.com' }, { cn: 'Bob Durand', email: 'bob@example.com' }],
          organizer: { cn: 'Anne Martin', email: 'anne@example.com' }, resources: [{ cn: 'Projector', email: '64f0c2@example.com' }],
          'x-openpaas-videoconference': null, 'x-openpaas-booking-link': null,
          userId: id, calendarId: id, dtstamp: '2025-09-20T07:47:48Z',
        },
      }] },
    });
  });
});

test('created / updated with fewer overrides / cancel: the index follows the series', async () => {
  await withUser(async (s, id, bus) => {
    const jcal = new ICAL.Component(ICAL.parse(SERIES_ICS)).toJSON();
    const eventPath = `/calendars/${id}/${id}/series-1.ics`;
    await bus.publish('calendar:event:created', { eventPath, event: jcal, import: false });
    await bus.idle();
    const uidsOf = async (q: string) => ((await search(s, { query: q })).json() as { _embedded: { events: { data: { uid: string; summary: string } }[] } })._embedded.events.map((e) => e.data.summary);
    assert.deepEqual(await uidsOf('weekly'), ['Weekly sync', 'Weekly sync (moved)']);
    // The override is gone from the new version: delete-then-index drops it.
    const masterOnly = new ICAL.Component(ICAL.parse(SERIES_ICS));
    const vevents = masterOnly.getAllSubcomponents('vevent');
    masterOnly.removeSubcomponent(vevents[1]!);
    await bus.publish('calendar:event:updated', { eventPath, event: masterOnly.toJSON() });
    await bus.idle();
    assert.deepEqual(await uidsOf('weekly'), ['Weekly sync']);
    // A CANCEL carries the whole object; here only the series, so the all-day event of the same object stays.
    masterOnly.removeSubcomponent(masterOnly.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === 'holiday')!);
    await bus.publish('calendar:event:cancel', { eventPath, event: masterOnly.toJSON() });
    await bus.idle();
    assert.deepEqual(await uidsOf('weekly'), []);
    assert.deepEqual(await uidsOf('labour'), ['Labour day'], 'the other UID of the object is not cancelled');
  });
});

test('an event moved between two calendars of the account stays indexed, whichever of deleted and created comes first', async () => {
  await withUser(async (s, id, bus) => {
    const { event } = JSON.parse(specUpdatedMessage(id)) as { event: unknown };
    const [home, work] = [`/calendars/${id}/${id}/sabredav-5d1c.ics`, `/calendars/${id}/work/a0b5a363.ics`];
    const found = async () => ((await search(s, { query: 'sprint' })).json() as { _embedded: { events: { _links: { self: { href: string } }; data: { calendarId: string } }[] } })._embedded.events
      .map((e) => [e.data.calendarId, e._links.self.href]);
    await bus.publish('calendar:event:created', { eventPath: home, event });
    await bus.idle();
    assert.deepEqual(await found(), [[id, home]], 'the hit links to the file esn-sabre named, not to <uid>.ics');
    // esn-sabre publishes a MOVE as `created` on the new path and `deleted` on the old one, on two queues.
    await bus.publish('calendar:event:created', { eventPath: work, event });
    await bus.idle();
    await bus.publish('calendar:event:deleted', { eventPath: home, event });
    await bus.idle();
    assert.deepEqual(await found(), [['work', work]], 'created first, then deleted');
    await bus.publish('calendar:event:deleted', { eventPath: work, event });
    await bus.idle();
    await bus.publish('calendar:event:created', { eventPath: home, event });
    await bus.idle();
    assert.deepEqual(await found(), [[id, home]], 'deleted first, then created');
  });
});

test('an unknown owner or a malformed message is dead-lettered and the next message is indexed', async () => {
  await withUser(async (s, id, bus) => {
    await bus.publish('calendar:event:created', JSON.parse(specUpdatedMessage('65f1c0ffee0000000000abcd')));
    await bus.publish('calendar:event:created', JSON.parse(specUpdatedMessage('not-an-object-id')));
    await bus.publish('calendar:event:created', { eventPath: 'not-a-path', event: [] });
    await bus.publish('calendar:event:created', JSON.parse(specUpdatedMessage(id)));
    await bus.idle();
    assert.equal(bus.deadLetters.get('tcalendar:event:created:search-dead-letter')?.length, 3);
    assert.equal((await search(s, { query: 'review' })).json()._total_hits, 1);
  });
});

test('search validation: reference messages, optional query, 401 without credentials, paging in the self link', async () => {
  await withUser(async (s, id, bus) => {
    const msg = async (body: unknown, q = '') => {
      const r = await search(s, body, q);
      return [r.statusCode, (r.json() as { error: { details: string } }).error.details];
    };
    // later: the query is optional (rest-api.md 4.21); blank or absent is every event of the scope, not a 400.
    await bus.publish('calendar:event:created', JSON.parse(specUpdatedMessage(id)));
    await bus.idle();
    for (const body of [{ query: ' ' }, {}, { query: null }]) {
      const res = await search(s, body);
      assert.equal(res.statusCode, 200, JSON.stringify(body));
      assert.deepEqual((res.json() as { _embedded: { events: { data: { uid: string } }[] } })._embedded.events.map((e) => e.data.uid), ['a0b5a363']);
    }
    assert.deepEqual(await msg({ query: 'x', calendars: [{ userId: '', calendarId: 'c' }] }), [400, 'userId field is missing']);
    assert.deepEqual(await msg({ query: 'x', calendars: [{ userId: 'u' }] }), [400, 'calendarId field is missing']);
    assert.deepEqual(await msg({ query: 'x', organizers: ['nope'] }), [400, 'Invalid organizer email address']);
    assert.deepEqual(await msg({ query: 'x', attendees: ['a b@c'] }), [400, 'Invalid attendee email address']);
    assert.deepEqual(await msg({ query: 'x' }, '?limit=0'), [400, 'limit param must be positive']);
    assert.deepEqual(await msg({ query: 'x' }, '?limit=abc'), [400, 'Invalid limit param: abc']);
    assert.deepEqual(await msg({ query: 'x' }, '?offset=-1'), [400, 'offset param must be non-negative']);
    // Past Java's int range the reference cannot parse the number either.
    assert.deepEqual(await msg({ query: 'x' }, '?offset=99999999999999999999'), [400, 'Invalid offset param: 99999999999999999999']);
    assert.deepEqual(await msg({ query: 'x' }, '?limit=2147483648'), [400, 'Invalid limit param: 2147483648']);
    // A long organizer string is answered at once (the email check was quadratic).
    const t0 = Date.now();
    assert.deepEqual(await msg({ query: 'x', organizers: [`a@${'.'.repeat(200_000)} `] }), [400, 'Invalid organizer email address']);
    assert.ok(Date.now() - t0 < 2000, `the email check took ${Date.now() - t0} ms`);
    assert.equal((await search(s, { query: 'x', organizers: ['a@b.c', 'x@localhost'] })).statusCode, 200);
    const ok = await search(s, { query: 'x' }, '?limit=5&offset=2');
    assert.equal(ok.json()._links.self.href, '/calendar/api/events/search?limit=5&offset=2?limit=5&offset=2');
    const anonymous = await s.rest.inject({ method: 'POST', url: '/calendar/api/events/search', payload: { query: 'x' } });
    assert.equal(anonymous.statusCode, 401);
  });
});
