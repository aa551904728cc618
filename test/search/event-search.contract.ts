import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventDocument } from '../../src/search/event-document.js';
import { BadRequestError } from '../../src/core/errors.js';
import type { AccountSearchQuery, CalendarsSearchQuery, EventSearch } from '../../src/search/event-search.js';
import { uniqueName } from '../support/real.js';

/** The calendar `doc` puts an account's events in: a home belongs to one account, as esn-sabre's do. */
export function defaultCalendar(accountId: string): string {
  return `home-${accountId.replace(/[^a-z0-9]/gi, '')}/cal1`;
}

/** A document with every field set; `over` replaces some. */
export function doc(accountId: string, uid: string, over: Partial<EventDocument> = {}): EventDocument {
  return {
    accountId, calendarURL: defaultCalendar(accountId), eventUid: uid, summary: `Summary ${uid}`, location: 'Room A', description: 'A description',
    clazz: 'PUBLIC', start: '2025-09-08T08:00:00Z', end: '2025-09-08T09:00:00Z', dtstamp: '2025-09-05T10:00:00Z', allDay: false,
    isRecurrentMaster: null, organizer: { cn: 'Alice Martin', email: 'alice@linagora.com' }, attendees: [{ cn: 'Bob Durand', email: 'bob@linagora.com' }],
    resources: [], videoconferenceUrl: null, bookingLinkId: null, recurrenceId: null, resourceName: `sabredav-${uid}.ics`, ...over,
  };
}

export function eventSearchContract(name: string, make: () => Promise<EventSearch>): void {
  const account = () => uniqueName('user').replace(/[^a-z0-9]/gi, '') + '@linagora.com';
  const q = (accountId: string, over: Partial<AccountSearchQuery> = {}): AccountSearchQuery => ({ accountId, query: '', limit: 30, offset: 0, ...over });
  const inCalendars = (calendarURLs: string[], over: Partial<CalendarsSearchQuery> = {}): CalendarsSearchQuery => ({ calendarURLs, query: '', limit: 30, offset: 0, ...over });
  const home = () => uniqueName('home').replace(/[^a-z0-9]/gi, '');
  const uids = (docs: EventDocument[]) => docs.map((d) => d.eventUid);

  test(`${name}: search returns exactly the indexed fields; re-indexing a uid overrides every field`, async () => {
    const s = await make();
    const a = account();
    const first = doc(a, 'e1');
    await s.index([first]);
    assert.deepEqual(await s.search(q(a)), [first]);
    const second = doc(a, 'e1', { summary: 'Renamed', location: null, description: null, start: '2025-09-09T08:00:00Z', organizer: null, attendees: [], allDay: true });
    await s.index([second]);
    assert.deepEqual(await s.search(q(a)), [second], 'moving the start replaced the document instead of duplicating it');
  });

  test(`${name}: a series is one document per VEVENT; deleteEvent removes them all from that calendar only`, async () => {
    const s = await make();
    const a = account();
    const b = account();
    const [cal1, cal2] = [defaultCalendar(a), defaultCalendar(a).replace(/cal1$/, 'cal2')];
    await s.index([
      doc(a, 'series', { isRecurrentMaster: true }),
      doc(a, 'series', { isRecurrentMaster: false, recurrenceId: '2025-09-15T08:00:00Z', start: '2025-09-15T10:00:00Z' }),
      doc(a, 'other'),
      doc(a, 'series', { calendarURL: cal2, isRecurrentMaster: true, start: '2025-09-20T08:00:00Z' }),
      doc(b, 'series', { isRecurrentMaster: true }),
    ]);
    assert.equal((await s.search(q(a))).length, 4);
    await s.deleteEvent(a, cal1, 'series');
    await s.deleteEvent(a, cal1, 'unknown');
    await s.deleteEvent(a, `${cal1}-nowhere`, 'other');
    assert.deepEqual((await s.search(q(a))).map((d) => [d.eventUid, d.calendarURL]), [['other', cal1], ['series', cal2]]);
    assert.deepEqual(uids(await s.search(q(b))), ['series']);
    await s.deleteAll(a);
    assert.deepEqual(await s.search(q(a)), [], 'deleteAll covers every calendar of the account');
    assert.deepEqual(uids(await s.search(q(b))), ['series']);
  });

  test(`${name}: the same UID in two calendars of an account is two documents; a move survives its messages in either order`, async () => {
    const s = await make();
    const a = account();
    const [from, to] = [defaultCalendar(a), defaultCalendar(a).replace(/cal1$/, 'work')];
    const calendarsOf = async () => (await s.search(q(a))).map((d) => [d.eventUid, d.calendarURL, d.resourceName]);
    await s.index([doc(a, 'twice', { resourceName: 'a.ics' }), doc(a, 'twice', { calendarURL: to, resourceName: 'b.ics' })]);
    assert.deepEqual((await calendarsOf()).sort(), [['twice', from, 'a.ics'], ['twice', to, 'b.ics']]);
    await s.deleteAll(a);
    // esn-sabre's MOVE: `created` on the new path and `deleted` on the old one, on two queues, so in either order.
    await s.index([doc(a, 'moved')]);
    await s.index([doc(a, 'moved', { calendarURL: to })]);
    await s.deleteEvent(a, from, 'moved');
    assert.deepEqual(await calendarsOf(), [['moved', to, 'sabredav-moved.ics']], 'created, then deleted');
    await s.index([doc(a, 'moved-back')]);
    await s.deleteEvent(a, from, 'moved-back');
    await s.index([doc(a, 'moved-back', { calendarURL: to })]);
    assert.deepEqual((await calendarsOf()).sort(), [['moved', to, 'sabredav-moved.ics'], ['moved-back', to, 'sabredav-moved-back.ics']], 'deleted, then created');
  });

  test(`${name}: the keyword hits summary, description, location, organizer and attendee names and emails, case-insensitively`, async () => {
    const s = await make();
    const a = account();
    await s.index([
      doc(a, 'by-summary', { summary: 'Sprint planning', description: null, location: null, organizer: null, attendees: [] }),
      doc(a, 'by-description', { summary: 'x', description: 'quarterly budget', location: null, organizer: null, attendees: [] }),
      doc(a, 'by-location', { summary: 'x', description: null, location: 'Paris office', organizer: null, attendees: [] }),
      doc(a, 'by-organizer', { summary: 'x', description: null, location: null, organizer: { cn: 'Zoe Quentin', email: 'zoe.q+tag@linagora.com' }, attendees: [] }),
      doc(a, 'by-attendee', { summary: 'x', description: null, location: null, organizer: null, attendees: [{ cn: 'Yann Kervella', email: 'yann@example.org' }] }),
    ]);
    assert.deepEqual(uids(await s.search(q(a, { query: 'SPRINT' }))), ['by-summary']);
    assert.deepEqual(uids(await s.search(q(a, { query: 'budget' }))), ['by-description']);
    assert.deepEqual(uids(await s.search(q(a, { query: 'paris' }))), ['by-location']);
    assert.deepEqual(uids(await s.search(q(a, { query: 'Quentin' }))), ['by-organizer']);
    // Emails are analysed into words (as the reference's standard analyzer does), so the other address has another domain.
    assert.deepEqual(uids(await s.search(q(a, { query: 'zoe.q+tag@linagora.com' }))), ['by-organizer']);
    assert.deepEqual(uids(await s.search(q(a, { query: 'KERV' }))), ['by-attendee'], 'name prefixes (edge n-grams up to 7 characters)');
    assert.deepEqual(await s.search(q(a, { query: 'nothingmatches' })), []);
  });

  test(`${name}: sorted by start ascending, offset and limit; only the requester's account`, async () => {
    const s = await make();
    const a = account();
    await s.index([5, 3, 1, 4, 2].map((n) => doc(a, `e${n}`, { start: `2025-09-0${n}T08:00:00Z` })));
    await s.index([doc(account(), 'foreign', { start: '2025-01-01T00:00:00Z' })]);
    assert.deepEqual(uids(await s.search(q(a))), ['e1', 'e2', 'e3', 'e4', 'e5']);
    assert.deepEqual(uids(await s.search(q(a, { offset: 1, limit: 2 }))), ['e2', 'e3']);
    // OpenSearch refuses from + size past its 10 000 result window: far pages are simply empty.
    assert.deepEqual(await s.search(q(a, { offset: 9_990, limit: 256 })), []);
    assert.deepEqual(await s.search(q(a, { offset: 2_147_483_647 })), []);
  });

  test(`${name}: filters on calendars, organizers and attendees (any-of, case-insensitive), combined with the keyword`, async () => {
    const s = await make();
    const a = account();
    await s.index([
      doc(a, 'c1', { calendarURL: 'h/one', summary: 'standup', organizer: { cn: null, email: 'alice@linagora.com' }, attendees: [{ cn: null, email: 'bob@linagora.com' }] }),
      doc(a, 'c2', { calendarURL: 'h/two', summary: 'standup', organizer: { cn: null, email: 'carol@linagora.com' }, attendees: [{ cn: null, email: 'dave@linagora.com' }] }),
      doc(a, 'c3', { calendarURL: 'h/two', summary: 'retro', organizer: { cn: null, email: 'alice@linagora.com' }, attendees: [] }),
    ]);
    assert.deepEqual(uids(await s.search(q(a, { calendarURLs: ['h/two'] }))), ['c2', 'c3']);
    assert.deepEqual(uids(await s.search(q(a, { organizers: ['ALICE@linagora.com'] }))), ['c1', 'c3']);
    assert.deepEqual(uids(await s.search(q(a, { organizers: ['carol@linagora.com', 'alice@linagora.com'] }))), ['c1', 'c2', 'c3']);
    assert.deepEqual(uids(await s.search(q(a, { attendees: ['dave@linagora.com'] }))), ['c2']);
    assert.deepEqual(uids(await s.search(q(a, { query: 'standup', organizers: ['alice@linagora.com'] }))), ['c1']);
  });

  test(`${name}: calendars scope: the listed calendars of several accounts, nothing else`, async () => {
    const s = await make();
    const [a, b, c] = [account(), account(), account()];
    const [ha, hb, hc] = [home(), home(), home()];
    await s.index([
      doc(a, 'a-default', { calendarURL: `${ha}/${ha}`, start: '2025-09-03T08:00:00Z' }),
      doc(a, 'a-other', { calendarURL: `${ha}/other`, start: '2025-09-01T08:00:00Z' }),
      doc(b, 'b-shared', { calendarURL: `${hb}/${hb}`, start: '2025-09-02T08:00:00Z', summary: 'Shared standup' }),
      doc(b, 'b-private', { calendarURL: `${hb}/private`, start: '2025-09-04T08:00:00Z', summary: 'Private standup' }),
      doc(c, 'c-public', { calendarURL: `${hc}/public`, start: '2025-09-05T08:00:00Z', summary: 'Public standup', organizer: { cn: null, email: 'carol@linagora.com' } }),
      // Same calendar id under another home: calendar URLs are whole paths, not ids.
      doc(c, 'c-default', { calendarURL: `${hc}/${ha}`, start: '2025-09-06T08:00:00Z' }),
    ]);
    const listed = [`${ha}/${ha}`, `${hb}/${hb}`, `${hc}/public`];
    assert.deepEqual(uids(await s.search(inCalendars(listed))), ['b-shared', 'a-default', 'c-public']);
    assert.deepEqual(uids(await s.search(inCalendars(listed, { query: 'standup' }))), ['b-shared', 'c-public']);
    assert.deepEqual(uids(await s.search(inCalendars(listed, { organizers: ['CAROL@linagora.com'] }))), ['c-public']);
    assert.deepEqual(uids(await s.search(inCalendars(listed, { offset: 1, limit: 1 }))), ['a-default']);
    assert.deepEqual(uids(await s.search(inCalendars([`${hb}/private`]))), ['b-private']);
    assert.deepEqual(await s.search(inCalendars([`${hb}/nothing-here`])), []);
    // The account scope is unchanged next to it: the requester's own documents only.
    assert.deepEqual(uids(await s.search(q(b))), ['b-shared', 'b-private']);
  });

  test(`${name}: calendars scope: an empty list finds nothing; more than 256 calendars is refused`, async () => {
    const s = await make();
    const a = account();
    const h = home();
    await s.index([doc(a, 'e1', { calendarURL: `${h}/${h}` })]);
    assert.deepEqual(await s.search(inCalendars([])), []);
    assert.deepEqual(await s.search(inCalendars([], { query: 'Summary' })), []);
    const many = Array.from({ length: 256 }, (_, i) => `${h}/c${i}`);
    assert.deepEqual(uids(await s.search(inCalendars([...many.slice(1), `${h}/${h}`]))), ['e1']);
    await assert.rejects(s.search(inCalendars([...many, `${h}/${h}`])), (e: unknown) => e instanceof BadRequestError && /at most 256 calendars/.test(e.message));
  });

  test(`${name}: the booking-link filter keeps the events booked through that link, in either scope`, async () => {
    const s = await make();
    const [a, b] = [account(), account()];
    const [ha, hb] = [home(), home()];
    const link = '550e8400-e29b-41d4-a716-446655440000';
    await s.index([
      doc(a, 'booked', { calendarURL: `${ha}/${ha}`, bookingLinkId: link, videoconferenceUrl: 'https://meet.example.com/x', start: '2025-09-01T08:00:00Z' }),
      doc(a, 'other-link', { calendarURL: `${ha}/${ha}`, bookingLinkId: '9b2f1c4e-0000-4000-8000-000000000001' }),
      doc(a, 'not-booked', { calendarURL: `${ha}/${ha}` }),
      doc(b, 'booked-too', { calendarURL: `${hb}/${hb}`, bookingLinkId: link, start: '2025-09-02T08:00:00Z' }),
    ]);
    const booked = await s.search(q(a, { bookingLink: link }));
    assert.deepEqual(uids(booked), ['booked']);
    assert.equal(booked[0]!.videoconferenceUrl, 'https://meet.example.com/x');
    assert.deepEqual(uids(await s.search(inCalendars([`${ha}/${ha}`, `${hb}/${hb}`], { bookingLink: link }))), ['booked', 'booked-too']);
    assert.deepEqual(await s.search(q(a, { bookingLink: link, query: 'nothingmatches' })), []);
    assert.equal((await s.search(q(a))).length, 3);
  });
}
