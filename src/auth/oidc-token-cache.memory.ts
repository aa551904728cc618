import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { OidcTokenCache, TokenInfo } from './oidc-token-cache.js';

interface Entry {
  info: TokenInfo;
  writtenAt: number;
}

/**
 * In-process cache (no redis.properties): bounded LRU of `maxSize` entries, expire-after-write `ttlMs`, plus a
 * sid → tokens index kept in step with evictions so it cannot grow without bound. Per instance: a logout only clears
 * the instance that receives it (spec storage.md 4.4 trap).
 */
export class MemoryOidcTokenCache implements OidcTokenCache {
  // A Map iterates in insertion order: re-inserting on read makes the first key the least recently used.
  private readonly entries = new Map<string, Entry>();
  private readonly bySid = new Map<string, Set<string>>();

  constructor(
    private readonly options: { ttlMs: number; maxSize: number },
    private readonly clock: Clock = systemClock,
  ) {}

  async get(token: string): Promise<TokenInfo | undefined> {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.clock.now().getTime() - entry.writtenAt >= this.options.ttlMs) {
      this.remove(token);
      return undefined;
    }
    this.entries.delete(token);
    this.entries.set(token, entry);
    return { ...entry.info, aud: [...entry.info.aud] };
  }

  async put(token: string, info: TokenInfo): Promise<void> {
    this.remove(token);
    this.entries.set(token, { info: { ...info, aud: [...info.aud] }, writtenAt: this.clock.now().getTime() });
    if (info.sid !== undefined) {
      const tokens = this.bySid.get(info.sid) ?? new Set<string>();
      tokens.add(token);
      this.bySid.set(info.sid, tokens);
    }
    while (this.entries.size > this.options.maxSize) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
    }
  }

  async invalidateSid(sid: string): Promise<void> {
    for (const token of this.bySid.get(sid) ?? []) this.entries.delete(token);
    this.bySid.delete(sid);
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(token: string): void {
    const entry = this.entries.get(token);
    if (!entry) return;
    this.entries.delete(token);
    const sid = entry.info.sid;
    if (sid === undefined) return;
    const tokens = this.bySid.get(sid);
    tokens?.delete(token);
    if (tokens?.size === 0) this.bySid.delete(sid);
  }
}
