import type { EventDocument } from './event-document.js';
import { documentId, type EventSearch, type EventSearchQuery } from './event-search.js';

/** In-memory EventSearch (embedded mode, fast tests): substring matching, same guarantees as the OpenSearch adapter. */
export class MemoryEventSearch implements EventSearch {
  private readonly docs = new Map<string, EventDocument>();

  async index(documents: EventDocument[]): Promise<void> {
    for (const d of documents) this.docs.set(documentId(d), structuredClone(d));
  }

  async deleteUid(accountId: string, uid: string): Promise<void> {
    for (const [id, d] of this.docs) if (d.accountId === accountId && d.eventUid === uid) this.docs.delete(id);
  }

  async deleteAll(accountId: string): Promise<void> {
    for (const [id, d] of this.docs) if (d.accountId === accountId) this.docs.delete(id);
  }

  async search(q: EventSearchQuery): Promise<EventDocument[]> {
    const keyword = q.query.trim().toLowerCase();
    const lower = (xs?: string[]) => (xs && xs.length > 0 ? new Set(xs.map((x) => x.toLowerCase())) : undefined);
    const organizers = lower(q.organizers);
    const attendees = lower(q.attendees);
    const hits = [...this.docs.values()].filter((d) => {
      if (d.accountId !== q.accountId) return false;
      if (q.calendarURLs && q.calendarURLs.length > 0 && !q.calendarURLs.includes(d.calendarURL)) return false;
      if (organizers && !(d.organizer && organizers.has(d.organizer.email.toLowerCase()))) return false;
      if (attendees && !d.attendees.some((a) => attendees.has(a.email.toLowerCase()))) return false;
      if (keyword === '') return true;
      const people = [d.organizer, ...d.attendees].flatMap((p) => (p ? [p.cn, p.email] : []));
      return [d.summary, d.description, d.location, ...people].some((v) => v?.toLowerCase().includes(keyword));
    });
    hits.sort((a, b) => (a.start === null ? 1 : b.start === null ? -1 : a.start.localeCompare(b.start)));
    return structuredClone(hits.slice(q.offset, q.offset + q.limit));
  }
}
