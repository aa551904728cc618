import type { CalDavClient } from './caldav-client.js';
import type { DavPrincipal } from './dav-auth.js';
import type { DavClient } from './dav-client.js';
import { DavUnexpectedStatusError } from './dav-errors.js';

const enc = encodeURIComponent;
const CONCURRENCY = 16;

/**
 * Deletes a user's data on esn-sabre (spec dav-ldap-config.md C10), for James's user-data deletion: calendars first
 * (objects of the default calendar one by one, other calendars whole), then address books (system books card by
 * card, the others whole). Acting as the user, so only what the user may delete goes.
 */
export class DavUserDataDeletion {
  constructor(
    private readonly dav: DavClient,
    private readonly caldav: CalDavClient,
  ) {}

  async deleteCalendars(email: string, userId: string): Promise<void> {
    const as = { kind: 'user', email } as const;
    for (const { homeId, calendarId } of await this.caldav.listCalendars(email, userId)) {
      if (homeId === calendarId) {
        const ids = await this.objectIds(as, homeId);
        await pool(ids, async (id) => {
          const path = `/calendars/${enc(homeId)}/${enc(homeId)}/${id}.ics`;
          await this.dav.expect({ method: 'DELETE', path, as, headers: { 'content-type': 'text/plain' }, call: `deleting ${path}` }, [204, 404]);
        });
      } else {
        const path = `/calendars/${enc(homeId)}/${enc(calendarId)}.json`;
        await this.dav.expect({ method: 'DELETE', path, as, headers: { 'content-type': 'application/json' }, call: `deleting ${path}` }, [204, 501]);
      }
    }
  }

  /** Ids (last segment without `.ics`, kept percent-encoded) of the objects of a default calendar. */
  private async objectIds(as: DavPrincipal, homeId: string): Promise<string[]> {
    const path = `/calendars/${enc(homeId)}/${enc(homeId)}`;
    const res = await this.dav.expect({ method: 'PROPFIND', path, as, headers: { 'content-type': 'application/xml' }, call: `listing ${path}` }, [207]);
    const hrefs = [...res.text().matchAll(/<(?:[\w.-]+:)?href(?:\s[^>]*)?>\s*([^<]*?)\s*<\/(?:[\w.-]+:)?href>/g)].map((m) => m[1]!);
    return hrefs.filter((h) => h.endsWith('.ics')).map((h) => h.slice(h.lastIndexOf('/') + 1, -4));
  }

  async deleteContacts(email: string, userId: string): Promise<void> {
    const as = { kind: 'user', email } as const;
    const list = `/addressbooks/${enc(userId)}.json?contactsCount=true&inviteStatus=2&personal=true&shared=true&subscribed=true`;
    const res = await this.dav.expect({ method: 'GET', path: list, as, headers: { accept: 'application/json' }, call: `listing ${list}` }, [200]);
    const books = res.json<{ _embedded?: { 'dav:addressbook'?: { _links?: { self?: { href?: string } }; type?: string }[] } }>()._embedded?.['dav:addressbook'] ?? [];
    for (const book of books) {
      const href = book._links?.self?.href ?? '';
      const parts = href.split('/');
      if (parts.length !== 4) throw new DavUnexpectedStatusError(res.status, `unexpected address book href ${href}`, `listing ${list}`);
      const bookId = parts[3]!.replace(/\.json$/, '');
      if (book.type) {
        const path = `/addressbooks/${enc(userId)}/${bookId}.json`;
        await this.dav.expect({ method: 'DELETE', path, as, headers: { accept: 'application/vcard+json' }, call: `deleting ${path}` }, [204, 501]);
        continue;
      }
      // System books (contacts, collected) cannot be deleted: empty them. Cards are addressed by UID as file name.
      const exportPath = `/addressbooks/${enc(userId)}/${bookId}?export`;
      const cards = (await this.dav.expect({ method: 'GET', path: exportPath, as, call: `exporting ${exportPath}` }, [200])).text();
      const uids = [...cards.replace(/\r?\n[ \t]/g, '').matchAll(/^UID:(.+?)\r?$/gm)].map((m) => m[1]!);
      await pool(uids, async (uid) => {
        const path = `/addressbooks/${enc(userId)}/${bookId}/${enc(uid)}.vcf`;
        await this.dav.expect({ method: 'DELETE', path, as, headers: { accept: 'application/vcard+json' }, call: `deleting ${path}` }, [204]);
      });
    }
  }
}

async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
