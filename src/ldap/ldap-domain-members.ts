import type { Logger } from 'pino';
import type { LdapConfig } from '../config/config-types.js';
import { mailUuid, type DomainMember } from '../contacts/domain-member.js';
import type { DomainMemberSource } from '../contacts/domain-members-sync.js';
import { escapeFilterValue, firstValue, type LdapEntry, type LdapPool } from './ldap-pool.js';

const ATTRIBUTES = ['uid', 'cn', 'sn', 'givenName', 'mail', 'telephoneNumber', 'displayName'];
const MAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * LDAP side of the domain-members sync (spec dav-ldap-config.md 3.4): `(&(objectClass={userObjectClass})(mail=*@{domain}))`
 * under `userBase`, read with a paged search so only one page of raw entries is held at a time. Core rule: entries
 * lacking `cn` or `sn`, or with an invalid mail, are skipped. The login `filter` does not apply here (reference).
 */
export class LdapDomainMembers implements DomainMemberSource {
  constructor(
    private readonly pool: LdapPool,
    private readonly config: LdapConfig,
    private readonly logger: Logger,
  ) {}

  async *members(domain: string): AsyncGenerator<DomainMember> {
    const filter = `(&(objectClass=${this.config.userObjectClass})(mail=*@${escapeFilterValue(domain)}))`;
    for await (const entry of this.pool.search(this.config.userBase, filter, ATTRIBUTES)) {
      const member = toMember(entry);
      if (member) yield member;
      else this.logger.info({ dn: entry.dn }, 'LDAP entry skipped: cn, sn or a valid mail missing');
    }
  }
}

/** Raw values are kept untrimmed on purpose: the reference compares them so, and rewrites such cards every run. */
export function toMember(entry: LdapEntry): DomainMember | undefined {
  const v = (name: string) => firstValue(entry, name);
  const mail = v('mail');
  if (v('cn') === undefined || v('sn') === undefined || !mail || !MAIL.test(mail.trim())) return undefined;
  return {
    uid: v('uid') ?? mailUuid(mail.trim()),
    mail,
    displayName: v('displayName'),
    familyName: v('sn'),
    givenName: v('givenName'),
    phone: v('telephoneNumber'),
  };
}
