import { BadRequestError } from '../core/errors.js';
import type { EventDocument } from './event-document.js';
import type { EventSearch, EventSearchQuery } from './event-search.js';
import type { EventSearchScope } from './event-search-scope.js';

export interface SearchBody {
  query?: unknown;
  calendars?: unknown;
  organizers?: unknown;
  attendees?: unknown;
  bookingLink?: unknown;
}

// One `@` between two non-blank parts. (A first alternative requiring a dot in the domain was both redundant and
// quadratic: a long organizer string held the event loop for minutes.)
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Java's Integer.MAX_VALUE: the reference parses paging as an int, so a larger number is not a number to it. */
const MAX_INT = 2_147_483_647;

/** `limit`/`offset` as the reference parses them (blank = default), with its exact messages (rest-api.md 4.21). */
export function parsePaging(limitRaw: string | undefined, offsetRaw: string | undefined): { limit: number; offset: number } {
  const int = (raw: string | undefined, name: string, def: number) => {
    if (raw === undefined || raw.trim() === '') return def;
    const value = Number(raw.trim());
    if (!/^[+-]?\d+$/.test(raw.trim()) || Math.abs(value) > MAX_INT) throw new BadRequestError(`Invalid ${name} param: ${raw}`);
    return value;
  };
  const limit = int(limitRaw, 'limit', 30);
  const offset = int(offsetRaw, 'offset', 0);
  if (limit <= 0) throw new BadRequestError('limit param must be positive');
  if (limit > 256) throw new BadRequestError('limit param must not exceed 256');
  if (offset < 0) throw new BadRequestError('offset param must be non-negative');
  return { limit, offset };
}

/** A validated search request: `calendars` undefined when the body has none (then the core scope applies). */
export interface SearchRequest {
  calendars: string[] | undefined;
  query: string;
  organizers: string[];
  attendees: string[];
  /** [later] A booking link's public id (lower-case UUID): only events booked through it. */
  bookingLink?: string;
  limit: number;
  offset: number;
}

/** The body of `POST /calendar/api/events/search`, with the reference's messages (rest-api.md 4.21). */
export function parseSearchBody(body: SearchBody, paging: { limit: number; offset: number }): SearchRequest {
  // later: the query is optional, absent or blank = every event of the scope.
  if (body.query !== undefined && body.query !== null && typeof body.query !== 'string') throw new BadRequestError('query must be a string');
  const list = (v: unknown, what: string): unknown[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new BadRequestError(`${what} must be an array`);
    return v;
  };
  // Absent (or null) and empty differ: absent is the core scope, `[]` the later scope with no calendar.
  const calendars = body.calendars === undefined || body.calendars === null ? undefined : list(body.calendars, 'calendars').map((c) => {
    const { userId, calendarId } = (c ?? {}) as { userId?: unknown; calendarId?: unknown };
    if (typeof userId !== 'string' || userId.trim() === '') throw new BadRequestError('userId field is missing');
    if (typeof calendarId !== 'string' || calendarId.trim() === '') throw new BadRequestError('calendarId field is missing');
    return `${userId}/${calendarId}`;
  });
  const emails = (v: unknown, what: string) =>
    list(v, `${what}s`).map((e) => {
      if (typeof e !== 'string' || !EMAIL.test(e)) throw new BadRequestError(`Invalid ${what} email address`);
      return e;
    });
  return {
    calendars,
    query: typeof body.query === 'string' ? body.query : '',
    organizers: emails(body.organizers, 'organizer'),
    attendees: emails(body.attendees, 'attendee'),
    ...bookingLinkOf(body.bookingLink),
    ...paging,
  };
}

/** Absent, null or blank: no filter; else a UUID, compared in its canonical lower case as the reference does. */
function bookingLinkOf(raw: unknown): { bookingLink?: string } {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return {};
  if (typeof raw !== 'string' || !UUID.test(raw.trim())) throw new BadRequestError(`Invalid bookingLink: ${String(raw)}`);
  return { bookingLink: raw.trim().toLowerCase() };
}

/**
 * Runs a search for the requester and shapes the reply of rest-api.md 4.21. With `calendars`, the later scope: only
 * the listed calendars the requester may search (EventSearchScope), whoever owns them; `[]` finds nothing. Without
 * `calendars`, the core scope, kept for older clients: the requester's own account (docs/compatibility.md).
 */
export async function searchEvents(
  deps: { search: EventSearch; scope: EventSearchScope },
  username: string,
  request: SearchRequest,
  requestUri: string,
): Promise<Record<string, unknown>> {
  const { calendars, ...criteria } = request;
  const query: EventSearchQuery =
    calendars === undefined ? { accountId: username, ...criteria } : { calendarURLs: await deps.scope.calendarsOf(username, calendars), ...criteria };
  const events = await deps.search.search(query);
  return {
    _links: { self: { href: `${requestUri}?limit=${request.limit}&offset=${request.offset}` } },
    _total_hits: events.length,
    _embedded: { events: events.map(eventResource) },
  };
}

function eventResource(d: EventDocument): Record<string, unknown> {
  const [userId, calendarId] = d.calendarURL.split('/');
  const days = d.start && d.end ? Math.floor((Date.parse(d.end) - Date.parse(d.start)) / 86_400_000) : null;
  // The object's real file name (esn-sabre's are often not `<uid>.ics`); documents indexed before it, or by a reindex
  // from exports, have none: `<uid>.ics`, the name the SPA gives the events it creates.
  const file = d.resourceName ?? `${d.eventUid}.ics`;
  return {
    _links: { self: { href: `/calendars/${userId}/${calendarId}/${davPathSegment(file)}` } },
    data: {
      uid: d.eventUid,
      summary: d.summary,
      location: d.location,
      description: d.description,
      start: d.start,
      end: d.end,
      class: d.clazz,
      allDay: d.allDay,
      hasResources: d.resources.length > 0,
      durationInDays: days,
      isRecurrentMaster: d.isRecurrentMaster,
      attendees: d.attendees,
      organizer: d.organizer,
      resources: d.resources,
      // Documents indexed before these fields existed have none.
      'x-openpaas-videoconference': d.videoconferenceUrl ?? null,
      'x-openpaas-booking-link': d.bookingLinkId ?? null,
      userId,
      calendarId,
      dtstamp: d.dtstamp,
    },
  };
}

/** Bytes sabre/http leaves as they are in a path segment. */
const DAV_SEGMENT_SAFE = /^[A-Za-z0-9_\-.~():@]*$/;

/**
 * A path segment encoded as esn-sabre encodes the hrefs it sends (sabre/http `encodePathSegment`): every other byte as
 * lower-case `%xx`. Names from `eventPath` are decoded paths; usual names (`sabredav-….ics`, `<uuid>.ics`) are unchanged.
 */
function davPathSegment(segment: string): string {
  if (DAV_SEGMENT_SAFE.test(segment)) return segment;
  let out = '';
  for (const b of Buffer.from(segment, 'utf8')) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && DAV_SEGMENT_SAFE.test(c) ? c : `%${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}
