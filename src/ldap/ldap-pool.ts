import { Client, InvalidCredentialsError, type Entry } from 'ldapts';
import type { LdapConfig } from '../config/config-types.js';

/** An LDAP entry with attribute names lower-cased (servers keep their own casing) and every value as a string list. */
export interface LdapEntry {
  dn: string;
  attributes: Map<string, string[]>;
}

/** First value of an attribute, matched case-insensitively (spec dav-ldap-config.md 3.4). */
export function firstValue(entry: LdapEntry, name: string): string | undefined {
  return entry.attributes.get(name.toLowerCase())?.[0];
}

/** RFC 4515 escaping of a value put inside a filter (a login is user input). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const PAGE_SIZE = 500;

/**
 * A bounded pool of service-bound ldapts clients (ldapts has none; spec 3.3): at most `poolSize` connections, each bound
 * as `principal`; URLs of `ldapHost` are tried in failover order; an operation failing on a connection is retried once
 * on a fresh one. User password checks bind on a separate, throw-away connection so pooled ones keep the service bind.
 */
export class LdapPool {
  private readonly idle: Client[] = [];
  private readonly waiters: ((c: Client | undefined) => void)[] = [];
  private size = 0;
  private closed = false;

  constructor(private readonly config: LdapConfig) {}

  /** Paged search: yields entries page by page, so a large directory never sits in memory at once. */
  async *search(base: string, filter: string, attributes?: string[]): AsyncGenerator<LdapEntry> {
    const client = await this.acquire();
    let healthy = true;
    try {
      for await (const page of client.searchPaginated(base, { scope: 'sub', filter, attributes, paged: { pageSize: PAGE_SIZE } })) {
        for (const e of page.searchEntries) yield toEntry(e);
      }
    } catch (e) {
      healthy = false;
      throw e;
    } finally {
      this.release(client, healthy);
    }
  }

  /** A bounded search collected in memory (logins, health checks), retried once on a fresh connection. */
  async searchAll(base: string, filter: string, attributes?: string[]): Promise<LdapEntry[]> {
    try {
      return await this.collect(base, filter, attributes);
    } catch {
      return this.collect(base, filter, attributes);
    }
  }

  private async collect(base: string, filter: string, attributes?: string[]): Promise<LdapEntry[]> {
    const out: LdapEntry[] = [];
    for await (const e of this.search(base, filter, attributes)) out.push(e);
    return out;
  }

  /** True when `password` binds as `dn`; false on invalid credentials; connection errors propagate after failover. */
  async checkPassword(dn: string, password: string): Promise<boolean> {
    // An empty password would be an anonymous bind, which succeeds: never accept it.
    if (password === '') return false;
    try {
      const client = await this.connect({ dn, password });
      await client.unbind().catch(() => undefined);
      return true;
    } catch (e) {
      if (e instanceof InvalidCredentialsError) return false;
      throw e;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(undefined);
    await Promise.all(this.idle.splice(0).map((c) => c.unbind().catch(() => undefined)));
  }

  private async acquire(): Promise<Client> {
    if (this.closed) throw new Error('LDAP pool closed');
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.size < this.config.poolSize) {
      this.size++;
      try {
        return await this.connect();
      } catch (e) {
        this.size--;
        throw e;
      }
    }
    const next = await new Promise<Client | undefined>((resolve) => this.waiters.push(resolve));
    if (!next) throw new Error('LDAP pool closed');
    return next;
  }

  private release(client: Client, healthy: boolean): void {
    if (!healthy || this.closed) {
      this.size--;
      void client.unbind().catch(() => undefined);
      const waiter = this.waiters.shift();
      // A waiter gets a fresh connection instead of the broken one.
      if (waiter) {
        this.size++;
        this.connect().then(waiter, () => {
          this.size--;
          waiter(undefined);
        });
      }
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter(client);
    else this.idle.push(client);
  }

  /** Binds as the service principal unless `as` is given; a URL that cannot be reached passes to the next one. */
  private async connect(as?: { dn: string; password: string }): Promise<Client> {
    let lastError: unknown;
    for (const url of this.config.urls) {
      const client = new Client({
        url,
        timeout: this.config.readTimeoutMs > 0 ? this.config.readTimeoutMs : 0,
        connectTimeout: this.config.connectionTimeoutMs > 0 ? this.config.connectionTimeoutMs : 0,
        tlsOptions: url.startsWith('ldaps:') ? { rejectUnauthorized: !this.config.trustAllCerts } : undefined,
        strictDN: false,
      });
      try {
        await client.bind(as?.dn ?? this.config.principal, as?.password ?? this.config.credentials);
        return client;
      } catch (e) {
        await client.unbind().catch(() => undefined);
        // Wrong credentials are an answer, not an unreachable server: no failover.
        if (e instanceof InvalidCredentialsError) throw e;
        lastError = e;
      }
    }
    throw lastError ?? new Error('no LDAP URL configured');
  }
}

function toEntry(e: Entry): LdapEntry {
  const attributes = new Map<string, string[]>();
  for (const [k, v] of Object.entries(e)) {
    if (k === 'dn') continue;
    const values = (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
    attributes.set(k.toLowerCase(), values);
  }
  return { dn: e.dn, attributes };
}
