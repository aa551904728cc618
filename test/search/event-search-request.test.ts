import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventDocument } from '../../src/search/event-document.js';
import { parsePaging, parseSearchBody, searchEvents } from '../../src/search/event-search-request.js';
import { EventSearchScope } from '../../src/search/event-search-scope.js';
import { MemoryEventSearch } from '../../src/search/event-search.memory.js';
import { doc } from './event-search.contract.js';

const noDav = new EventSearchScope({
  users: { retrieveByUsername: async () => undefined },
  caldav: { listCalendarEntries: async () => assert.fail('no DAV call expected') },
});

type Reply = { _embedded: { events: { _links: { self: { href: string } }; data: Record<string, unknown> }[] } };
const searchAll = async (search: MemoryEventSearch) =>
  (await searchEvents({ search, scope: noDav }, 'alice@linagora.com', parseSearchBody({}, parsePaging(undefined, undefined)), '/calendar/api/events/search')) as Reply;

test('a document indexed before the later fields existed: null x-openpaas fields, href <uid>.ics', async () => {
  const search = new MemoryEventSearch();
  const { videoconferenceUrl: _v, bookingLinkId: _b, resourceName: _r, ...legacy } = doc('alice@linagora.com', 'legacy', { calendarURL: 'h1/c1' });
  await search.index([legacy as EventDocument]);
  const events = (await searchAll(search))._embedded.events;
  assert.deepEqual(events.map((e) => [e.data.uid, e.data['x-openpaas-videoconference'], e.data['x-openpaas-booking-link'], e._links.self.href]), [
    ['legacy', null, null, '/calendars/h1/c1/legacy.ics'],
  ]);
});

test('the href names the DAV object by its file name, encoded as esn-sabre encodes hrefs; <uid>.ics without one', async () => {
  const search = new MemoryEventSearch();
  const at = (n: number) => `2025-09-0${n}T08:00:00Z`;
  await search.index([
    doc('alice@linagora.com', 'u1', { calendarURL: 'h1/c1', start: at(1), resourceName: 'sabredav-7f3a-11ef.ics' }),
    doc('alice@linagora.com', 'u2', { calendarURL: 'h1/c1', start: at(2), resourceName: 'Réunion #2 (v1)@x:y.ics' }),
    doc('alice@linagora.com', 'u3@example.com', { calendarURL: 'h1/c1', start: at(3), resourceName: null }),
  ]);
  assert.deepEqual((await searchAll(search))._embedded.events.map((e) => e._links.self.href), [
    '/calendars/h1/c1/sabredav-7f3a-11ef.ics',
    '/calendars/h1/c1/R%c3%a9union%20%232%20(v1)@x:y.ics',
    '/calendars/h1/c1/u3@example.com.ics',
  ]);
});

test('bookingLink: blank or null is no filter; a UUID is kept in lower case', () => {
  const paging = { limit: 30, offset: 0 };
  assert.equal(parseSearchBody({ bookingLink: null }, paging).bookingLink, undefined);
  assert.equal(parseSearchBody({ bookingLink: '' }, paging).bookingLink, undefined);
  assert.equal(parseSearchBody({ bookingLink: ' 550E8400-E29B-41D4-A716-446655440000 ' }, paging).bookingLink, '550e8400-e29b-41d4-a716-446655440000');
  assert.throws(() => parseSearchBody({ bookingLink: '550e8400e29b41d4a716446655440000' }, paging), /Invalid bookingLink/);
});
