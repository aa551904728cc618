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

test('a document indexed before the later fields existed is answered with null x-openpaas fields', async () => {
  const search = new MemoryEventSearch();
  const { videoconferenceUrl: _v, bookingLinkId: _b, ...legacy } = doc('alice@linagora.com', 'legacy', { calendarURL: 'h1/c1' });
  await search.index([legacy as EventDocument]);
  const reply = (await searchEvents({ search, scope: noDav }, 'alice@linagora.com', parseSearchBody({}, parsePaging(undefined, undefined)), '/calendar/api/events/search')) as {
    _embedded: { events: { data: Record<string, unknown> }[] };
  };
  const data = reply._embedded.events.map((e) => e.data);
  assert.deepEqual(data.map((d) => [d.uid, d['x-openpaas-videoconference'], d['x-openpaas-booking-link']]), [['legacy', null, null]]);
});

test('bookingLink: blank or null is no filter; a UUID is kept in lower case', () => {
  const paging = { limit: 30, offset: 0 };
  assert.equal(parseSearchBody({ bookingLink: null }, paging).bookingLink, undefined);
  assert.equal(parseSearchBody({ bookingLink: '' }, paging).bookingLink, undefined);
  assert.equal(parseSearchBody({ bookingLink: ' 550E8400-E29B-41D4-A716-446655440000 ' }, paging).bookingLink, '550e8400-e29b-41d4-a716-446655440000');
  assert.throws(() => parseSearchBody({ bookingLink: '550e8400e29b41d4a716446655440000' }, paging), /Invalid bookingLink/);
});
