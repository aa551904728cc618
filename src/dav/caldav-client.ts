import type { DavPrincipal } from './dav-auth.js';
import type { DavClient } from './dav-client.js';
import { DavPreconditionFailedError, DavUnexpectedStatusError } from './dav-errors.js';

/** A calendar object read for an update: the ICS text and the ETag exactly as esn-sabre sent it (quotes kept). */
export interface CalendarObject {
  href: string;
  ics: string;
  etag: string;
}

/** First hit of a JSON REPORT by UID: where the event lives and its jCal. */
export interface EventByUid {
  href: string;
  jcal: unknown;
}

/** A calendar by its home and id (`/calendars/{homeId}/{calendarId}`). */
export interface CalendarRef {
  homeId: string;
  calendarId: string;
}

/** One calendar of a user's list (C9) and, for a subscription or a delegation, the calendar it mirrors. */
export interface CalendarListEntry extends CalendarRef {
  subscriptionSource: CalendarRef | undefined;
  delegationSource: CalendarRef | undefined;
}

interface RawCalendarEntry {
  _links?: { self?: { href?: unknown } } | null;
  'calendarserver:source'?: { _links?: { self?: { href?: unknown } } } | null;
  'calendarserver:delegatedsource'?: unknown;
}

const enc = encodeURIComponent;

const isNonBlank = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function decoded(segment: string, bad: (what: string) => Error): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw bad(`undecodable calendar path segment ${segment}`);
  }
}

/**
 * A source href → its calendar: the path (of an absolute or relative URL) without `.json`, read as
 * `/calendars/{home}/{calendar}[/…]`, the shape esn-sabre writes.
 */
function sourceCalendar(href: string, bad: (what: string) => Error): CalendarRef {
  let pathname: string;
  try {
    pathname = new URL(href.trim(), 'http://esn-sabre').pathname;
  } catch {
    throw bad(`unexpected calendar source ${href}`);
  }
  const parts = pathname.replace(/\.json$/, '').split('/').filter((p) => p !== '');
  if (parts.length < 3 || parts[0] !== 'calendars') throw bad(`unexpected calendar source ${href}`);
  return { homeId: decoded(parts[1]!, bad), calendarId: decoded(parts[2]!, bad) };
}

/** The esn-sabre CalDAV calls of the core scope (spec dav-ldap-config.md 1.4, C1–C4, C6). */
export class CalDavClient {
  constructor(private readonly dav: DavClient) {}

  /** C1: the calendar as ICS bytes; esn-sabre's 501 means "nothing to export" and gives an empty result. */
  async export(as: DavPrincipal, homeId: string, calendarId: string): Promise<Buffer> {
    const path = `/calendars/${enc(homeId)}/${enc(calendarId)}?export`;
    const res = await this.dav.expect(
      // Accept is ignored by esn-sabre (it answers text/calendar); the reference sends it, so do we.
      { method: 'GET', path, as, headers: { accept: 'application/xml' }, call: `exporting ${path}` },
      [200, 501],
    );
    return res.status === 200 ? res.body : Buffer.alloc(0);
  }

  /**
   * L2: the calendar as esn-sabre describes it; undefined on 404. A subscription (e.g. to a secret link or a shared
   * calendar) names its source in `calendarserver:source`, whose calendar is the one to export.
   */
  async describe(as: DavPrincipal, homeId: string, calendarId: string): Promise<{ source: { homeId: string; calendarId: string } | undefined } | undefined> {
    const path = `/calendars/${enc(homeId)}/${enc(calendarId)}`;
    const res = await this.dav.expect({ method: 'GET', path, as, headers: { accept: 'application/json' }, call: `describing ${path}` }, [200, 404]);
    if (res.status === 404) return undefined;
    const json = res.json<{ 'calendarserver:source'?: { _links?: { self?: { href?: string } } } | null }>();
    const href = json['calendarserver:source']?._links?.self?.href;
    const parts = href?.replace(/\.json$/, '').split('/');
    if (!parts || parts.length !== 4 || parts[1] !== 'calendars') return { source: undefined };
    return { source: { homeId: decodeURIComponent(parts[2]!), calendarId: decodeURIComponent(parts[3]!) } };
  }

  /** L4: whether the principal may read the calendar (200 with its own self link); 401/403/404 mean no. */
  async canRead(as: DavPrincipal, homeId: string, calendarId: string): Promise<boolean> {
    const path = `/calendars/${enc(homeId)}/${enc(calendarId)}.json`;
    const res = await this.dav.expect({ method: 'GET', path, as, headers: { accept: 'application/json' }, call: `reading ${path}` }, [200, 401, 403, 404]);
    if (res.status !== 200) return false;
    try {
      const self = (JSON.parse(res.text()) as { _links?: { self?: { href?: string } } })._links?.self?.href;
      return self === undefined || self === path;
    } catch {
      return false;
    }
  }

  /** C2: the first event of a calendar home with this UID, or undefined (blank 200 or 404). */
  async findByUid(as: DavPrincipal, homeId: string, uid: string): Promise<EventByUid | undefined> {
    const path = `/calendars/${enc(homeId)}.json`;
    const res = await this.dav.expect(
      {
        method: 'REPORT',
        path,
        as,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ uid }),
        call: `searching uid in ${path}`,
      },
      [200, 404],
    );
    if (res.status === 404 || res.text().trim() === '') return undefined;
    const parsed = res.json<{ _embedded?: { 'dav:item'?: { _links?: { self?: { href?: string } }; data?: unknown }[] } }>();
    const item = parsed._embedded?.['dav:item']?.[0];
    const href = item?._links?.self?.href;
    if (!item || !href) return undefined;
    return { href, jcal: item.data };
  }

  /** C3: the object and its ETag, or undefined on 404. */
  async fetch(as: DavPrincipal, href: string): Promise<CalendarObject | undefined> {
    const res = await this.dav.expect({ method: 'GET', path: href, as, call: `reading ${href}` }, [200, 404]);
    if (res.status === 404) return undefined;
    const etag = res.headers.etag;
    return { href, ics: res.text(), etag: Array.isArray(etag) ? (etag[0] ?? '') : (etag ?? '') };
  }

  /** C4: conditional update; 412 is DavPreconditionFailedError (retriable), anything but 204 an error. */
  async update(as: DavPrincipal, object: CalendarObject): Promise<void> {
    const res = await this.dav.send({
      method: 'PUT',
      path: object.href,
      as,
      headers: { accept: 'application/xml', 'if-match': object.etag, 'content-type': 'text/calendar; charset=utf-8' },
      body: object.ics,
      call: `updating ${object.href}`,
    });
    if (res.status === 412) throw new DavPreconditionFailedError(412, res.text(), `updating ${object.href}`);
    if (res.status !== 204) throw new DavUnexpectedStatusError(res.status, res.text(), `updating ${object.href}`);
  }

  /** C6: one import PUT (`?import` suppresses scheduling); true on 201, false otherwise (the item failed). */
  async importObject(as: DavPrincipal, homeId: string, calendarId: string, uid: string, ics: string): Promise<boolean> {
    // The UID becomes a path segment: percent-encode it (the reference does not).
    const path = `/calendars/${enc(homeId)}/${enc(calendarId)}/${enc(uid)}.ics?import`;
    const res = await this.dav.send({ method: 'PUT', path, as, headers: { 'content-type': 'text/plain' }, body: ics, call: `importing ${path}` });
    return res.status === 201;
  }

  /**
   * C9: the calendars a user sees (own, accepted delegations, public subscriptions) as (home, calendar) pairs.
   * Assumes esn-sabre's base URI is `/`: every self link must be `/calendars/{home}/{calendar}.json`.
   */
  async listCalendars(email: string, userId: string): Promise<CalendarRef[]> {
    return (await this.calendarList(email, userId)).map(({ self }) => self);
  }

  /**
   * C9 with each entry's source: a subscription names it in `calendarserver:source._links.self.href`, a delegated
   * calendar in `calendarserver:delegatedsource` (both `/calendars/{home}/{calendar}.json`). A source that is not a
   * calendar path is a DavUnexpectedStatusError, like a bad self link.
   */
  async listCalendarEntries(email: string, userId: string): Promise<CalendarListEntry[]> {
    return (await this.calendarList(email, userId)).map(({ self, raw, bad }) => {
      const subscribed = raw['calendarserver:source']?._links?.self?.href;
      const delegated = raw['calendarserver:delegatedsource'];
      return {
        ...self,
        subscriptionSource: isNonBlank(subscribed) ? sourceCalendar(subscribed, bad) : undefined,
        delegationSource: isNonBlank(delegated) ? sourceCalendar(delegated, bad) : undefined,
      };
    });
  }

  private async calendarList(email: string, userId: string): Promise<{ self: CalendarRef; raw: RawCalendarEntry; bad: (what: string) => Error }[]> {
    const path = `/calendars/${enc(userId)}.json?personal=true&sharedDelegationStatus=accepted&sharedPublicSubscription=true&withRights=true`;
    const call = `listing ${path}`;
    const res = await this.dav.expect({ method: 'GET', path, as: { kind: 'user', email }, headers: { accept: 'application/json' }, call }, [200]);
    const json = res.json<{ _embedded?: { 'dav:calendar'?: RawCalendarEntry[] } }>();
    const bad = (what: string) => new DavUnexpectedStatusError(res.status, what, call);
    const entries: unknown = json._embedded?.['dav:calendar'] ?? [];
    if (!Array.isArray(entries)) throw bad('dav:calendar is not a list');
    return entries.map((entry: RawCalendarEntry | null) => {
      const raw = entry ?? {};
      const href = typeof raw._links?.self?.href === 'string' ? raw._links.self.href : '';
      const parts = href.split('/');
      if (parts.length !== 4) throw bad(`unexpected calendar href ${href}`);
      return { self: { homeId: decoded(parts[2]!, bad), calendarId: decoded(parts[3]!.replace(/\.json$/, ''), bad) }, raw, bad };
    });
  }

  /** C11: creates a calendar in a user's home. */
  async createCalendar(email: string, userId: string, calendar: { id: string; name: string; color?: string; description?: string }): Promise<void> {
    const path = `/calendars/${enc(userId)}.json`;
    const body = { id: calendar.id, 'dav:name': calendar.name, 'apple:color': calendar.color, 'caldav:description': calendar.description };
    await this.dav.expect(
      { method: 'POST', path, as: { kind: 'user', email }, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), call: `creating a calendar in ${path}` },
      [201],
    );
  }

  /** C7: one vCard import PUT; 201 or 204 is success. */
  async importContact(as: DavPrincipal, homeId: string, bookId: string, uid: string, vcard: string): Promise<boolean> {
    const path = `/addressbooks/${enc(homeId)}/${enc(bookId)}/${enc(uid)}.vcf`;
    const res = await this.dav.send({
      method: 'PUT',
      path,
      as,
      headers: { 'content-type': 'application/vcard', accept: 'text/plain' },
      body: vcard,
      call: `importing ${path}`,
    });
    return res.status === 201 || res.status === 204;
  }
}
