import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import ICAL from 'ical.js';
import type { TechnicalTokenService } from '../../src/auth/technical-token.js';

/**
 * A small esn-sabre on 127.0.0.1 (real HTTP) for the calls sidecal makes in core: impersonation login
 * (`{admin}&{email}:{password}`, 401 + Basic challenge otherwise), calendar JSON (L4), export (C1), JSON REPORT by UID
 * (C2), calendar description with a subscription's source (L2), GET/PUT of objects with ETags and If-Match (C3/C4, 412 on a stale ETag), `?import` PUTs (C6) and vCard PUTs (C7).
 * Address books: C8 domain-members calls with a technical token (`TwakeCalendarToken`, checked with the given
 * service; only technical users write domain-members), listing (C9, with subscription and delegation sources;
 * `listingFailure` makes it fail) and creation (C11) of calendars, what user-data deletion uses (C10: PROPFIND of a
 * calendar, DELETE of objects, calendars, cards and books, address-book listing).
 * Rights: a calendar's owner and its readers may read; only the owner may write; others get 403, unknown paths 404.
 */
export interface EmuObject {
  ics: string;
  etag: string;
  writtenBy: string;
}

interface EmuCalendar {
  owner: string;
  /** For a subscription: the `/calendars/{h}/{c}.json` href of the source. */
  source?: string;
  /** For a delegated calendar (the delegate's instance): the `/calendars/{h}/{c}.json` href of the delegator's. */
  delegatedSource?: string;
  readers: Set<string>;
  objects: Map<string, EmuObject>;
}

export class SabreEmulator {
  readonly calendars = new Map<string, EmuCalendar>();
  readonly contacts = new Map<string, { vcard: string; writtenBy: string }>();
  /** Existing address books, `{home}/{book}`. */
  readonly books = new Set<string>();
  private server: Server | undefined;
  private concurrentWrites = 0;
  url = '';
  /** When set, calendar listings (C9) answer this status instead of the list. */
  listingFailure: number | undefined;

  constructor(
    private readonly adminUser = 'admin',
    private readonly adminPassword = 'secret',
    private readonly tokens?: TechnicalTokenService,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => send(res, 500, String(e)));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.server.unref(); // a test that fails before stop() must not keep its process alive
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  addCalendar(homeId: string, calendarId: string, owner: string, readers: string[] = []): void {
    this.calendars.set(`${homeId}/${calendarId}`, { owner, readers: new Set(readers), objects: new Map() });
  }

  addSubscription(homeId: string, calendarId: string, owner: string, source: { homeId: string; calendarId: string }): void {
    this.calendars.set(`${homeId}/${calendarId}`, { owner, readers: new Set(), objects: new Map(), source: `/calendars/${source.homeId}/${source.calendarId}.json` });
  }

  /** A calendar delegated to `delegate`, as esn-sabre lists it: an instance in the delegate's home naming its source. */
  addDelegation(homeId: string, calendarId: string, delegate: string, source: { homeId: string; calendarId: string }): void {
    this.calendars.set(`${homeId}/${calendarId}`, { owner: delegate, readers: new Set(), objects: new Map(), delegatedSource: `/calendars/${source.homeId}/${source.calendarId}.json` });
  }

  putObject(homeId: string, calendarId: string, name: string, ics: string, by = 'setup'): EmuObject {
    const obj = { ics, etag: etagOf(ics), writtenBy: by };
    this.calendar(homeId, calendarId).objects.set(name, obj);
    return obj;
  }

  calendar(homeId: string, calendarId: string): EmuCalendar {
    const c = this.calendars.get(`${homeId}/${calendarId}`);
    if (!c) throw new Error(`no calendar ${homeId}/${calendarId}`);
    return c;
  }

  /** The next `n` conditional PUTs find the object changed by someone else just before (so their If-Match fails). */
  simulateConcurrentWrites(n: number): void {
    this.concurrentWrites = n;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const user = await this.login(req.headers.authorization, req.headers.twakecalendartoken);
    if (!user) {
      res.setHeader('www-authenticate', 'Basic realm="SabreDAV"');
      return send(res, 401, 'No valid authentication');
    }
    const url = new URL(req.url!, 'http://emulator');
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] === 'addressbooks') return this.addressBooks(req.method!, url, parts, user, body, res);
    if (parts[0] !== 'calendars') return send(res, 404, 'Could not find node');
    if (parts.length === 2 && parts[1]!.endsWith('.json') && req.method === 'GET') return this.listCalendars(res, user, parts[1]!.slice(0, -5));
    if (parts.length === 2 && parts[1]!.endsWith('.json') && req.method === 'POST') {
      this.addCalendar(parts[1]!.slice(0, -5), (JSON.parse(body) as { id: string }).id, user);
      return send(res, 201, '');
    }
    if (parts.length === 2 && req.method === 'REPORT' && parts[1]!.endsWith('.json')) return this.reportByUid(res, user, parts[1]!.slice(0, -5), body);
    const homeId = parts[1] ?? '';
    const jsonCal = parts.length === 3 && parts[2]!.endsWith('.json');
    const calendarId = jsonCal ? parts[2]!.slice(0, -5) : (parts[2] ?? '');
    const cal = this.calendars.get(`${homeId}/${calendarId}`);
    if (!cal) return send(res, 404, `Could not find node at path: calendars/${homeId}/${calendarId}`);
    const canRead = cal.owner === user || cal.readers.has(user);
    if (!canRead) return send(res, 403, 'Access denied');
    if (parts.length === 3 && req.method === 'GET' && jsonCal) {
      return sendJson(res, { _links: { self: { href: `/calendars/${homeId}/${calendarId}.json` } }, 'dav:name': calendarId });
    }
    if (parts.length === 3 && req.method === 'GET' && !url.searchParams.has('export')) {
      const source = cal.source ? { _links: { self: { href: cal.source } } } : null;
      return sendJson(res, { _links: { self: { href: `/calendars/${homeId}/${calendarId}.json` } }, 'calendarserver:source': source });
    }
    if (parts.length === 3 && req.method === 'GET' && url.searchParams.has('export')) {
      const events = [...cal.objects.values()].map((o) => inner(o.ics)).join('');
      res.setHeader('content-type', 'text/calendar; charset=utf-8');
      return send(res, 200, `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Sabre//Sabre VObject 4.2.2//EN\r\n${events}END:VCALENDAR\r\n`);
    }
    if (parts.length === 3 && req.method === 'DELETE' && jsonCal && cal.owner === user) {
      this.calendars.delete(`${homeId}/${calendarId}`);
      return send(res, 204, '');
    }
    if (parts.length === 3 && req.method === 'PROPFIND') {
      const hrefs = [`/calendars/${homeId}/${calendarId}/`, ...[...cal.objects.keys()].map((n) => `/calendars/${homeId}/${calendarId}/${encodeURIComponent(n)}`)];
      res.setHeader('content-type', 'application/xml; charset=utf-8');
      return send(res, 207, `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">${hrefs.map((h) => `<d:response><d:href>${h}</d:href></d:response>`).join('')}</d:multistatus>`);
    }
    if (parts.length !== 4) return send(res, 405, 'Method not allowed');
    const name = parts[3]!;
    const existing = cal.objects.get(name);
    if (req.method === 'DELETE' && cal.owner === user) return send(res, cal.objects.delete(name) ? 204 : 404, '');
    if (req.method === 'GET') {
      if (!existing) return send(res, 404, 'Object not found');
      res.setHeader('etag', existing.etag);
      res.setHeader('content-type', 'text/calendar; charset=utf-8');
      return send(res, 200, existing.ics);
    }
    if (req.method !== 'PUT') return send(res, 405, 'Method not allowed');
    if (cal.owner !== user) return send(res, 403, 'Access denied');
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && existing && this.concurrentWrites > 0) {
      this.concurrentWrites--;
      this.putObject(homeId, calendarId, name, existing.ics.replace('END:VEVENT', 'COMMENT:concurrent edit\r\nEND:VEVENT'), 'someone else');
    }
    const current = cal.objects.get(name);
    if (ifMatch !== undefined && (!current || current.etag !== ifMatch)) return send(res, 412, 'An If-Match header was specified, but the ETag did not match');
    // Like esn-sabre's ?import, a PUT replaces the object; the import plugin repairs a missing VERSION/PRODID.
    const obj = this.putObject(homeId, calendarId, name, body, user);
    res.setHeader('etag', obj.etag);
    return send(res, current ? 204 : 201, '');
  }

  private addressBooks(method: string, url: URL, parts: string[], user: string, body: string, res: ServerResponse): void {
    if (method === 'POST' && parts.length === 2 && parts[1]!.endsWith('.json')) {
      const key = `${parts[1]!.slice(0, -5)}/${(JSON.parse(body) as { id: string }).id}`;
      if (this.books.has(key)) return send(res, 400, 'The resource you tried to create already exists');
      this.books.add(key);
      return send(res, 201, '');
    }
    if (method === 'GET' && parts.length === 2 && parts[1]!.endsWith('.json')) {
      const home = parts[1]!.slice(0, -5);
      const mine = [...this.books].filter((b) => b.startsWith(`${home}/`));
      // System books (contacts, collected) have an empty type.
      const items = mine.map((b) => ({ _links: { self: { href: `/addressbooks/${b}.json` } }, type: /\/(contacts|collected)$/.test(b) ? '' : 'user' }));
      return sendJson(res, { _embedded: { 'dav:addressbook': items } });
    }
    const book = `${parts[1]}/${(parts[2] ?? '').replace(/\.json$/, '')}`;
    if (!this.books.has(book)) return send(res, 404, `Could not find node at path: addressbooks/${book}`);
    const prefix = `addressbooks/${book}/`;
    if (method === 'DELETE' && parts.length === 3 && parts[2]!.endsWith('.json')) {
      this.books.delete(book);
      for (const k of [...this.contacts.keys()]) if (k.startsWith(prefix)) this.contacts.delete(k);
      return send(res, 204, '');
    }
    if (method === 'GET' && parts.length === 3 && url.searchParams.has('export')) {
      return send(res, 200, [...this.contacts].filter(([k]) => k.startsWith(prefix)).map(([, c]) => c.vcard).join(''));
    }
    if (parts.length !== 4) return send(res, 405, 'Method not allowed');
    if (parts[2] === 'domain-members' && !user.startsWith('technical:')) return send(res, 403, 'Access denied');
    const key = parts.join('/');
    if (method === 'PUT') {
      const existed = this.contacts.has(key);
      this.contacts.set(key, { vcard: body, writtenBy: user });
      return send(res, existed ? 204 : 201, '');
    }
    if (method === 'DELETE') {
      if (!this.contacts.delete(key)) return send(res, 404, 'Card not found');
      return send(res, 204, '');
    }
    return send(res, 405, 'Method not allowed');
  }

  private listCalendars(res: ServerResponse, user: string, homeId: string): void {
    if (this.listingFailure !== undefined) return send(res, this.listingFailure, 'listing failed');
    const mine = [...this.calendars].filter(([k, c]) => k.startsWith(`${homeId}/`) && (c.owner === user || c.readers.has(user)));
    const entry = ([k, c]: [string, EmuCalendar]) => ({
      _links: { self: { href: `/calendars/${k}.json` } },
      ...(c.source ? { 'calendarserver:source': { _links: { self: { href: c.source } } } } : {}),
      ...(c.delegatedSource ? { 'calendarserver:delegatedsource': c.delegatedSource } : {}),
    });
    return sendJson(res, { _embedded: { 'dav:calendar': mine.map(entry) } });
  }

  private reportByUid(res: ServerResponse, user: string, homeId: string, body: string): void {
    const { uid } = JSON.parse(body) as { uid: string };
    for (const [key, cal] of this.calendars) {
      if (!key.startsWith(`${homeId}/`) || (cal.owner !== user && !cal.readers.has(user))) continue;
      for (const [name, obj] of cal.objects) {
        if (!new RegExp(`^UID:${uid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?$`, 'm').test(obj.ics)) continue;
        return sendJson(res, {
          _links: { self: { href: `/calendars/${homeId}.json` } },
          _embedded: { 'dav:item': [{ _links: { self: { href: `/calendars/${key}/${name}` } }, etag: obj.etag, data: ICAL.parse(obj.ics) }] },
        });
      }
    }
    return send(res, 404, 'Not found');
  }

  private async login(header: string | undefined, technical: string | string[] | undefined): Promise<string | undefined> {
    if (typeof technical === 'string' && this.tokens) {
      const verified = await this.tokens.verify(technical);
      return verified ? `technical:${verified.domainId}` : undefined;
    }
    if (!header?.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [login, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    const prefix = `${this.adminUser}&`;
    if (password !== this.adminPassword || !login.startsWith(prefix)) return undefined;
    return login.slice(prefix.length);
  }
}

function etagOf(ics: string): string {
  return `"${createHash('md5').update(ics).digest('hex')}"`;
}

/** The components of a VCALENDAR, without its envelope. */
function inner(ics: string): string {
  return ics.replace(/^BEGIN:VCALENDAR\r?\n/, '').replace(/END:VCALENDAR\r?\n?$/, '').replace(/^(VERSION|PRODID|CALSCALE):.*\r?\n/gm, '');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.setHeader('content-type', 'application/json');
  send(res, 200, JSON.stringify(value));
}
