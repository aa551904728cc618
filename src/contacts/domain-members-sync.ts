import type { Logger } from 'pino';
import { ConflictError } from '../core/errors.js';
import { cardUid, parseVCards, toVCard, type DomainMember } from './domain-member.js';

/** Where domain members come from (LDAP). Streams, so a large directory is not loaded as raw entries. */
export interface DomainMemberSource {
  members(domain: string): AsyncIterable<DomainMember>;
}

/** The domain-members address book on esn-sabre (spec 1.4 C8), keyed by the domain's id. */
export interface DomainMembersBook {
  list(domainId: string): Promise<string>;
  upsert(domainId: string, uid: string, vcard: string): Promise<unknown>;
  delete(domainId: string, uid: string): Promise<void>;
}

export type MemberChange = 'add' | 'update' | 'delete';

/** Counters and failure lists (mails) per kind of change, shared by every domain of one task run (spec 3.7). */
export class SyncReport {
  readonly done: Record<MemberChange, number> = { add: 0, update: 0, delete: 0 };
  readonly failures: Record<MemberChange, string[]> = { add: [], update: [], delete: [] };

  hasFailures(): boolean {
    return Object.values(this.failures).some((mails) => mails.length > 0);
  }
}

const IN_FLIGHT = 4;

/**
 * One domain's LDAP → DAV sync (spec dav-ldap-config.md 3.6): both sides read in parallel and keyed by lower-cased
 * mail (members without mail ignored, a duplicate mail aborts the domain); added, updated and deleted groups run
 * concurrently with at most 4 requests each; a contact failure is recorded and never stops the run.
 */
export class DomainMembersSync {
  constructor(
    private readonly source: DomainMemberSource,
    private readonly book: DomainMembersBook,
    private readonly logger: Logger,
  ) {}

  async syncDomain(domain: { id: string; name: string }, report: SyncReport): Promise<void> {
    const [ldap, dav] = await Promise.all([this.readSource(domain.name), this.book.list(domain.id).then((s) => byMail(parseVCards(s), 'DAV'))]);
    const added: DomainMember[] = [];
    const updated: DomainMember[] = [];
    const deleted: DomainMember[] = [];
    for (const [key, m] of ldap) {
      const card = dav.get(key);
      if (!card) added.push(m);
      else if (differs(m, card)) updated.push({ ...m, uid: card.uid || m.uid });
    }
    for (const [key, card] of dav) if (!ldap.has(key)) deleted.push(card);
    this.logger.info({ domain: domain.name, added: added.length, updated: updated.length, deleted: deleted.length }, 'domain members diff');
    const upsert = (m: DomainMember) => this.book.upsert(domain.id, m.uid, toVCard(m));
    await Promise.all([
      this.apply(domain.name, 'add', added, upsert, report),
      this.apply(domain.name, 'update', updated, upsert, report),
      this.apply(domain.name, 'delete', deleted, (card) => this.book.delete(domain.id, cardUid(card)), report),
    ]);
  }

  /** Writes one group, at most IN_FLIGHT at a time; a failure is recorded under the member's mail and the rest go on. */
  private apply(domain: string, change: MemberChange, members: DomainMember[], write: (m: DomainMember) => Promise<unknown>, report: SyncReport): Promise<void> {
    return each(members, async (m) => {
      try {
        await write(m);
        report.done[change]++;
      } catch (err) {
        this.logger.warn({ err, domain, uid: m.uid, change }, 'domain member write failed');
        // byMail kept only members with a mail.
        report.failures[change].push(m.mail!);
      }
    });
  }

  private async readSource(domain: string): Promise<Map<string, DomainMember>> {
    const members: DomainMember[] = [];
    for await (const m of this.source.members(domain)) members.push(m);
    return byMail(members, 'LDAP');
  }
}

function byMail(members: DomainMember[], side: string): Map<string, DomainMember> {
  const map = new Map<string, DomainMember>();
  for (const m of members) {
    if (!m.mail || m.mail.trim() === '') continue;
    const key = m.mail.trim().toLowerCase();
    // Core behaviour of the reference: a duplicate address on either side aborts the domain.
    if (map.has(key)) throw new ConflictError(`duplicate mail in ${side} domain members: ${key}`);
    map.set(key, m);
  }
  return map;
}

/** Spec 3.6 step 3: raw LDAP values against the card's, so untrimmed LDAP values differ on every run (reference quirk). */
function differs(ldap: DomainMember, card: DomainMember): boolean {
  return (
    ldap.givenName !== card.givenName ||
    ldap.familyName !== card.familyName ||
    ldap.phone !== card.phone ||
    ldap.mail !== card.mail ||
    (ldap.displayName !== undefined && ldap.displayName !== card.displayName)
  );
}

async function each<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
}
