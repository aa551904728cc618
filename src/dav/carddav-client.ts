import type { DavClient } from './dav-client.js';
import { DavUnexpectedStatusError } from './dav-errors.js';

const enc = encodeURIComponent;
const MEMBERS = 'domain-members';

/** esn-sabre's answers when the domain's address book (or its home) does not exist yet. */
const BOOK_MISSING = ['Could not find node at path: calendars/', 'Could not find node at path: addressbooks/', "Addressbook with name '"];
const ALREADY_EXISTS = 'The resource you tried to create already exists';

const MEMBERS_BOOK = {
  id: MEMBERS,
  'dav:name': 'Domain Members',
  'carddav:description': 'Address book contains all domain members',
  'dav:acl': ['{DAV:}read'],
  type: 'group',
};

/**
 * The domain-members address book (spec dav-ldap-config.md C8), always with the domain's technical token: esn-sabre
 * lets only technical users write under `addressbooks/{domainId}/domain-members/`. The book is created on demand.
 */
export class DomainMembersClient {
  constructor(
    private readonly dav: DavClient,
    private readonly createRetryDelayMs = 500,
  ) {}

  /** C8a: the raw vCard stream of the book (possibly empty); creates the book first when esn-sabre lacks it. */
  async list(domainId: string): Promise<string> {
    try {
      return await this.listOnce(domainId);
    } catch (e) {
      if (!isBookMissing(e)) throw e;
      await this.createBook(domainId);
      return this.listOnce(domainId);
    }
  }

  private async listOnce(domainId: string): Promise<string> {
    const path = `/addressbooks/${enc(domainId)}/${MEMBERS}?export`;
    return (await this.dav.expect({ method: 'GET', path, as: { kind: 'technical', domainId }, call: `listing ${path}` }, [200])).text();
  }

  /** C8b: creates the book; "already exists" is fine; a 404 (home provisioned lazily) is retried once. */
  async createBook(domainId: string): Promise<void> {
    const path = `/addressbooks/${enc(domainId)}.json`;
    for (let attempt = 0; ; attempt++) {
      const res = await this.dav.send({
        method: 'POST',
        path,
        as: { kind: 'technical', domainId },
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(MEMBERS_BOOK),
        call: `creating ${path}`,
      });
      if (res.status === 201 || res.text().includes(ALREADY_EXISTS)) return;
      if (res.status === 404 && attempt === 0) {
        await new Promise((r) => setTimeout(r, this.createRetryDelayMs));
        continue;
      }
      throw new DavUnexpectedStatusError(res.status, res.text(), `creating ${path}`);
    }
  }

  /** C8c: creates or replaces one member's card; a missing book is created, then the PUT retried once. */
  async upsert(domainId: string, uid: string, vcard: string): Promise<'created' | 'updated'> {
    const path = `/addressbooks/${enc(domainId)}/${MEMBERS}/${enc(uid)}.vcf`;
    const put = () =>
      this.dav.expect(
        { method: 'PUT', path, as: { kind: 'technical', domainId }, headers: { 'content-type': 'application/vcard', accept: 'text/plain' }, body: vcard, call: `writing ${path}` },
        [201, 204],
      );
    try {
      return (await put()).status === 201 ? 'created' : 'updated';
    } catch (e) {
      if (!isBookMissing(e)) throw e;
      await this.createBook(domainId);
      return (await put()).status === 201 ? 'created' : 'updated';
    }
  }

  /** C8d: deletes one member's card; an already absent card is fine, a missing book is an error. */
  async delete(domainId: string, uid: string): Promise<void> {
    const path = `/addressbooks/${enc(domainId)}/${MEMBERS}/${enc(uid)}.vcf`;
    const res = await this.dav.send({ method: 'DELETE', path, as: { kind: 'technical', domainId }, headers: { accept: 'text/plain' }, call: `deleting ${path}` });
    if (res.status === 204 || (res.status === 404 && res.text().includes('Card not found'))) return;
    throw new DavUnexpectedStatusError(res.status, res.text(), `deleting ${path}`);
  }
}

function isBookMissing(e: unknown): boolean {
  return e instanceof DavUnexpectedStatusError && e.davStatus === 404 && BOOK_MISSING.some((m) => e.davBody.includes(m));
}
