import type { CalDavClient, CalendarRef } from '../dav/caldav-client.js';
import type { UserStore } from '../storage/user-store.js';

const urlOf = (c: CalendarRef) => `${c.homeId}/${c.calendarId}`;

/**
 * Which calendars a requester may search, in the later scope of event search (spec storage.md 3.5): each requested
 * `<userId>/<calendarId>` is read through the requester's esn-sabre calendar list (C9, impersonating the requester). A
 * subscription stands for its source, a delegated calendar for the delegator's calendar, any other entry for itself;
 * a requested calendar is kept only if what it stands for is the source of some entry of the list (own, subscribed,
 * delegated), so a calendar shared with nobody stays out whatever the request names. The result is distinct, in
 * request order, and names the calendars whose events the index holds (the sources, not the mirrors).
 *
 * An unknown requester gets nothing. A single request for the requester's default calendar (`<id>/<id>`) needs no
 * DAV call. esn-sabre failures are the DAV client's errors (5xx): never a wider scope.
 */
export class EventSearchScope {
  constructor(
    private readonly deps: {
      users: Pick<UserStore, 'retrieveByUsername'>;
      caldav: Pick<CalDavClient, 'listCalendarEntries'>;
    },
  ) {}

  async calendarsOf(username: string, requested: readonly string[]): Promise<string[]> {
    if (requested.length === 0) return [];
    const requester = await this.deps.users.retrieveByUsername(username);
    if (!requester) return [];
    const defaultCalendar = `${requester.id}/${requester.id}`;
    if (requested.length === 1 && requested[0] === defaultCalendar) return [defaultCalendar];
    const sourceOf = new Map<string, string>();
    for (const entry of await this.deps.caldav.listCalendarEntries(username, requester.id)) {
      const url = urlOf(entry);
      // The first entry of a URL wins, as in the reference.
      if (!sourceOf.has(url)) sourceOf.set(url, urlOf(entry.subscriptionSource ?? entry.delegationSource ?? entry));
    }
    const searchable = new Set(sourceOf.values());
    return [...new Set(requested.map((r) => sourceOf.get(r) ?? r))].filter((source) => searchable.has(source));
  }
}
