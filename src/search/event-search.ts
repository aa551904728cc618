import { BadRequestError } from '../core/errors.js';
import type { EventDocument } from './event-document.js';

/** What any search filters on, whatever its scope. */
interface SearchCriteria {
  /** Keyword; blank = every event. */
  query: string;
  /** Any-of, case-insensitive. */
  organizers?: string[];
  attendees?: string[];
  /** Exact X-OPENPAAS-BOOKING-LINK value. */
  bookingLink?: string;
  limit: number;
  offset: number;
}

/** Core scope: the events of one account (the requester's username), optionally narrowed to some of its calendars. */
export interface AccountSearchQuery extends SearchCriteria {
  accountId: string;
  /** Optional narrowing to `<userId>/<calendarId>` calendar URLs; empty = no narrowing. */
  calendarURLs?: string[];
}

/**
 * Later scope: exactly these `<userId>/<calendarId>` calendar URLs, whichever accounts own them (the caller has
 * checked the requester may read them). Empty = nothing; more than MAX_SEARCH_CALENDARS is refused.
 */
export interface CalendarsSearchQuery extends SearchCriteria {
  accountId?: undefined;
  calendarURLs: string[];
}

export type EventSearchQuery = AccountSearchQuery | CalendarsSearchQuery;

/** The most calendars one search may name (the reference's limit for source-calendar searches, storage.md 3.5). */
export const MAX_SEARCH_CALENDARS = 256;

/** Refuses a calendars-scoped query naming too many calendars (a 400 for the REST caller). */
export function checkSearchScope(q: EventSearchQuery): void {
  if (q.accountId === undefined && q.calendarURLs.length > MAX_SEARCH_CALENDARS) {
    throw new BadRequestError(`A search covers at most ${MAX_SEARCH_CALENDARS} calendars, got ${q.calendarURLs.length}`);
  }
}

/**
 * The calendar event search index (spec storage.md 3.3–3.6, core semantics; document ids and per-calendar deletes as
 * the later reference). Adapters: OpenSearch (`event-search.opensearch.ts`) and in-memory (`event-search.memory.ts`),
 * one contract suite.
 *
 * Guarantees:
 * - `index` writes one document per VEVENT; a document of the same (calendar, uid, master/single/occurrence) is
 *   replaced whole (every field overridden; moving the start never duplicates). The same UID in two calendars is two
 *   documents. Other uids and calendars are untouched.
 * - `deleteEvent` removes every document of (calendar, uid) of the account, whatever its id (documents written under
 *   older ids included); the same UID in the account's other calendars survives; an unknown uid is fine. `deleteAll`
 *   removes every document of the account, in all its calendars.
 * - `search` returns the documents of its scope: with `accountId`, that account's only (narrowed by `calendarURLs` when
 *   given); without, the documents of exactly the listed `calendarURLs` of any account (none listed = none, more than
 *   MAX_SEARCH_CALENDARS = BadRequestError). Among them, those whose summary, description, location, organizer or
 *   attendee name/email match the keyword case-insensitively (blank = all), filtered by organizers (any-of),
 *   attendees (any-of) and booking link (exact); sorted by start ascending (missing last); `offset`/`limit` applied.
 * - Writes are durable when the promise resolves and searchable shortly after (OpenSearch: within the bulk plus a 200 ms
 *   refresh delay; memory: at once). A `deleteEvent` after an `index` of the same event always removes what was indexed.
 */
export interface EventSearch {
  index(documents: EventDocument[]): Promise<void>;
  /** `calendarURL` is `<home>/<calendar>`; `accountId` is the owner account (OpenSearch routes by it). */
  deleteEvent(accountId: string, calendarURL: string, uid: string): Promise<void>;
  deleteAll(accountId: string): Promise<void>;
  search(query: EventSearchQuery): Promise<EventDocument[]>;
}

/**
 * Document id, the later reference's: `<home>:<calendar>:<uid>:single|master|recurrence:<recurrenceId>`. The calendar
 * is in it so that an event moved between two calendars of an account, whose `created` and `deleted` messages come in
 * either order, is two documents, never one the old calendar's delete removes. (Ids written before it were
 * `<account>:<uid>:<kind>`: docs/operations.md says how to rebuild them.)
 */
export function documentId(d: EventDocument): string {
  const kind = d.recurrenceId ? `recurrence:${d.recurrenceId}` : d.isRecurrentMaster ? 'master' : 'single';
  return `${d.calendarURL.replace('/', ':')}:${d.eventUid}:${kind}`;
}
