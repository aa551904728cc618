import { Redis } from 'ioredis';
import type { HealthCheck, HealthResult } from '../health/health-check.js';
import { tokenHash, type OidcTokenCache, type TokenInfo } from './oidc-token-cache.js';

const HASH_PREFIX = 'tcal_oidc_hash_';
const SID_PREFIX = 'tcal_oidc_sid_';

/**
 * Shared cache in Redis (spec storage.md 4.2), so every sidecal instance benefits from one introspection and a logout
 * received by one instance evicts for all: hash `tcal_oidc_hash_<sha512hex(token)>` {email, exp, aud `;`-joined, sid}
 * and list `tcal_oidc_sid_<sid>` of hash keys, both expiring after `ttlMs` (independent of the token's `exp`).
 * While Redis is unreachable commands fail within about a second, so callers fall back to the IdP instead of hanging.
 */
export class RedisOidcTokenCache implements OidcTokenCache, HealthCheck {
  readonly componentName = 'Redis backend';

  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
  ) {}

  static connect(url: string, ttlMs: number): RedisOidcTokenCache {
    const redis = new Redis(url, {
      // A command waits at most one reconnection attempt (or commandTimeout) while Redis is away, then fails, and the
      // request falls back to the IdP: slower, never stuck.
      maxRetriesPerRequest: 1,
      commandTimeout: 1_500,
      connectTimeout: 5_000,
      // Keep retrying in the background (capped backoff): the cache comes back by itself when Redis does.
      retryStrategy: (times) => Math.min(times * 100, 1_000),
    });
    // Without a listener ioredis prints every connection error; failures surface through commands and the health check.
    redis.on('error', () => undefined);
    return new RedisOidcTokenCache(redis, ttlMs);
  }

  async get(token: string): Promise<TokenInfo | undefined> {
    const h = await this.redis.hgetall(HASH_PREFIX + tokenHash(token));
    const exp = Number(h.exp);
    // Partial or unparsable entries are misses, so a token without audience is never served from the cache.
    if (!h.email || !h.aud || h.exp === undefined || !Number.isFinite(exp)) return undefined;
    return { email: h.email, exp, aud: h.aud.split(';').filter((a) => a !== ''), sid: h.sid ? h.sid : undefined };
  }

  async put(token: string, info: TokenInfo): Promise<void> {
    const key = HASH_PREFIX + tokenHash(token);
    const seconds = Math.max(1, Math.ceil(this.ttlMs / 1000));
    const tx = this.redis.multi()
      .hset(key, { email: info.email, exp: String(info.exp), aud: info.aud.join(';'), sid: info.sid ?? '' })
      .expire(key, seconds);
    if (info.sid) tx.rpush(SID_PREFIX + info.sid, key).expire(SID_PREFIX + info.sid, seconds);
    const results = await tx.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async invalidateSid(sid: string): Promise<void> {
    const keys = await this.redis.lrange(SID_PREFIX + sid, 0, -1);
    await this.redis.del(...keys, SID_PREFIX + sid);
  }

  async check(): Promise<HealthResult> {
    try {
        await this.redis.ping();
      return { status: 'healthy' };
    } catch (e) {
      // Degraded, not unhealthy: requests still authenticate through the identity provider, only slower.
      return { status: 'degraded', cause: `Redis unreachable, OIDC tokens resolved without cache: ${(e as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
