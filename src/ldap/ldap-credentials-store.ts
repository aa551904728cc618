import type { LdapConfig } from '../config/config-types.js';
import { ServerError } from '../core/errors.js';
import type { HealthCheck, HealthResult } from '../health/health-check.js';
import type { CredentialsStore } from '../users/credentials-store.js';
import { escapeFilterValue, firstValue, type LdapEntry, type LdapPool } from './ldap-pool.js';

/**
 * James's read-only LDAP users repository (spec dav-ldap-config.md 3.8): a login is found under `userBase` by
 * `(&(objectClass={userObjectClass})({userIdAttribute}={login})[{filter}])`, the first entry is taken, the optional group
 * restriction applied, then the password checked by binding as that entry. Writes are refused (read-only).
 */
export class LdapCredentialsStore implements CredentialsStore {
  readonly readOnly = true;

  constructor(
    private readonly pool: LdapPool,
    private readonly config: LdapConfig,
  ) {}

  async upsert(username: string): Promise<void> {
    throw new ServerError(`Error while upserting user '${username}'`, { details: 'the users repository is read-only (LDAP)' });
  }

  async delete(username: string): Promise<void> {
    throw new ServerError(`Error while deleting user '${username}'`, { details: 'the users repository is read-only (LDAP)' });
  }

  async exists(username: string): Promise<boolean> {
    return (await this.findUser(username)) !== undefined;
  }

  async list(): Promise<string[]> {
    const idAttr = this.config.userIdAttribute;
    const [entries, members] = await Promise.all([
      this.pool.searchAll(this.config.userBase, this.filter(`(${idAttr}=*)`), [idAttr]),
      this.groupMembers(),
    ]);
    const names = new Set<string>();
    for (const e of entries) {
      const id = firstValue(e, idAttr);
      if (id && isAllowed(e, members)) names.add(id.toLowerCase());
    }
    return [...names].sort();
  }

  async verify(username: string, password: string): Promise<boolean> {
    const entry = await this.findUser(username);
    if (!entry) return false;
    return this.pool.checkPassword(entry.dn, password);
  }

  private async findUser(login: string): Promise<LdapEntry | undefined> {
    const idAttr = this.config.userIdAttribute;
    const entries = await this.pool.searchAll(this.config.userBase, this.filter(`(${idAttr}=${escapeFilterValue(login)})`), [idAttr]);
    const first = entries[0];
    return first && isAllowed(first, await this.groupMembers()) ? first : undefined;
  }

  private filter(idClause: string): string {
    return `(&(objectClass=${this.config.userObjectClass})${idClause}${this.config.filter ?? ''})`;
  }

  /**
   * Group restriction: the normalised DNs listed in the `memberAttribute` of the configured group entries, read once per
   * call (a listing checks every user against the same set); undefined when no restriction is configured. A group that
   * cannot be read contributes no member. The bases come from the config reader with DN escapes (`\,`) intact.
   */
  private async groupMembers(): Promise<Set<string> | undefined> {
    const attr = this.config.groupMemberAttribute;
    if (!attr || this.config.groupBases.length === 0) return undefined;
    const groups = await Promise.all(this.config.groupBases.map((dn) => this.pool.searchAll(dn, '(objectClass=*)', [attr]).catch(() => [])));
    return new Set(groups.flatMap((found) => found[0]?.attributes.get(attr.toLowerCase()) ?? []).map(normaliseDn));
  }
}

function isAllowed(entry: LdapEntry, groupMembers: Set<string> | undefined): boolean {
  return groupMembers === undefined || groupMembers.has(normaliseDn(entry.dn));
}

function normaliseDn(dn: string): string {
  return dn.split(',').map((p) => p.trim().toLowerCase()).join(',');
}

/** `LDAP User Server` (James LdapHealthCheck): a lookup of user `ldap-test`; healthy unless the search errors. */
export class LdapHealthCheck implements HealthCheck {
  readonly componentName = 'LDAP User Server';

  constructor(private readonly users: LdapCredentialsStore) {}

  async check(): Promise<HealthResult> {
    try {
      await this.users.exists('ldap-test');
      return { status: 'healthy' };
    } catch (e) {
      return { status: 'unhealthy', cause: `Error checking LDAP server: ${(e as Error).message}` };
    }
  }
}
