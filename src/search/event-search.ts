import type { EventDocument } from './event-document.js';

export interface EventSearchQuery {
  /** The requester's username: core searches only its own account (spec storage.md 3.5). */
  accountId: string;
  /** Keyword; blank = every event. */
  query: string;
  /** Optional narrowing to `<userId>/<calendarId>` calendar URLs. */
  calendarURLs?: string[];
  /** Any-of, case-insensitive. */
  organizers?: string[];
  attendees?: string[];
  limit: number;
  offset: number;
}

/**
 * The calendar event search index (spec storage.md 3.3–3.6, core semantics). Adapters: OpenSearch
 * (`event-search.opensearch.ts`) and in-memory (`event-search.memory.ts`), one contract suite.
 *
 * Guarantees:
 * - `index` writes one document per VEVENT; a document of the same (account, uid, master/single/occurrence) is
 *   replaced whole (every field overridden; moving the start never duplicates). Other uids and accounts are untouched.
 * - `deleteUid` removes every document of (account, uid); an unknown uid is fine. `deleteAll` is scoped to the account.
 * - `search` returns, for the requester's account only, documents whose summary, description, location, organizer or
 *   attendee name/email match the keyword case-insensitively (blank = all), filtered by calendars, organizers (any-of)
 *   and attendees (any-of); sorted by start ascending (missing last); `offset`/`limit` applied.
 * - Writes are durable when the promise resolves and searchable shortly after (OpenSearch: within the bulk plus a 200 ms
 *   refresh delay; memory: at once). A `deleteUid` after an `index` of the same uid always removes what was indexed.
 */
export interface EventSearch {
  index(documents: EventDocument[]): Promise<void>;
  deleteUid(accountId: string, uid: string): Promise<void>;
  deleteAll(accountId: string): Promise<void>;
  search(query: EventSearchQuery): Promise<EventDocument[]>;
}

/** Document id: account, uid, kind and occurrence (the core id's start instant made moved events duplicate: dropped). */
export function documentId(d: EventDocument): string {
  const kind = d.recurrenceId ? `recurrence:${d.recurrenceId}` : d.isRecurrentMaster ? 'master' : 'single';
  return `${d.accountId}:${d.eventUid}:${kind}`;
}
