import type { EventDocument } from './event-document.js';
import { checkSearchScope, documentId, type EventSearch, type EventSearchQuery } from './event-search.js';

/** In-memory EventSearch (embedded mode, fast tests): substring matching, same guarantees as the OpenSearch adapter. */
export class MemoryEventSearch implements EventSearch {
  private readonly docs = new Map<string, EventDocument>();

  async index(documents: EventDocument[]): Promise<void> {
    for (const d of documents) this.docs.set(documentId(d), structuredClone(d));
  }

  async deleteEvent(accountId: string, calendarURL: string, uid: string): Promise<void> {
    for (const [id, d] of this.docs) if (d.accountId === accountId && d.calendarURL === calendarURL && d.eventUid === uid) this.docs.delete(id);
  }

  async deleteAll(accountId: string): Promise<void> {
    for (const [id, d] of this.docs) if (d.accountId === accountId) this.docs.delete(id);
  }

  async search(q: EventSearchQuery): Promise<EventDocument[]> {
    checkSearchScope(q);
    const keyword = q.query.trim().toLowerCase();
    const lower = (xs?: string[]) => (xs && xs.length > 0 ? new Set(xs.map((x) => x.toLowerCase())) : undefined);
    const organizers = lower(q.organizers);
    const attendees = lower(q.attendees);
    // The account scope narrows only by a non-empty list; the calendars scope always keeps just its list (empty: none).
    const calendars = q.accountId === undefined || (q.calendarURLs && q.calendarURLs.length > 0) ? new Set(q.calendarURLs) : undefined;
    const hits = [...this.docs.values()].filter((d) => {
      if (q.accountId !== undefined && d.accountId !== q.accountId) return false;
      if (calendars && !calendars.has(d.calendarURL)) return false;
      if (organizers && !(d.organizer && organizers.has(d.organizer.email.toLowerCase()))) return false;
      if (attendees && !d.attendees.some((a) => attendees.has(a.email.toLowerCase()))) return false;
      if (q.bookingLink !== undefined && d.bookingLinkId !== q.bookingLink) return false;
      if (keyword === '') return true;
      const people = [d.organizer, ...d.attendees].flatMap((p) => (p ? [p.cn, p.email] : []));
      return [d.summary, d.description, d.location, ...people].some((v) => v?.toLowerCase().includes(keyword));
    });
    hits.sort((a, b) => (a.start === null ? 1 : b.start === null ? -1 : a.start.localeCompare(b.start)));
    return structuredClone(hits.slice(q.offset, q.offset + q.limit));
  }
}
