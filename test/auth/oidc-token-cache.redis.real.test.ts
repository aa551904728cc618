import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisOidcTokenCache } from '../../src/auth/oidc-token-cache.redis.js';
import { tokenHash } from '../../src/auth/oidc-token-cache.js';
import { requireEnv, uniqueName } from '../support/real.js';
import { oidcTokenCacheContract } from './oidc-token-cache.contract.js';

const url = requireEnv('REDIS_URL');
const caches: RedisOidcTokenCache[] = [];
after(async () => Promise.all(caches.map((c) => c.close())));

function open(ttlMs: number): RedisOidcTokenCache {
  const cache = RedisOidcTokenCache.connect(url, ttlMs);
  caches.push(cache);
  return cache;
}

describe('RedisOidcTokenCache contract', () => {
  oidcTokenCacheContract(async (ttlMs) => ({
    cache: open(ttlMs),
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms + 1_000)),
    unique: uniqueName('tok'),
  }));
});

describe('RedisOidcTokenCache layout and failures', () => {
  it('stores the spec layout under the token hash, never the raw token', async () => {
    const cache = open(300_000);
    const token = uniqueName('raw');
    const sid = uniqueName('sid');
    await cache.put(token, { email: 'alice@linagora.com', exp: 1_900_000_000, aud: ['tcalendar', 'account'], sid });
    const redis = new Redis(url);
    try {
      const key = `tcal_oidc_hash_${tokenHash(token)}`;
      assert.deepEqual(await redis.hgetall(key), { email: 'alice@linagora.com', exp: '1900000000', aud: 'tcalendar;account', sid });
      assert.deepEqual(await redis.lrange(`tcal_oidc_sid_${sid}`, 0, -1), [key]);
      const ttl = await redis.ttl(key);
      assert.ok(ttl > 290 && ttl <= 300, `ttl ${ttl}`);
      assert.deepEqual(await redis.keys(`*${token}*`), []);
    } finally {
      redis.disconnect();
    }
  });

  it('reports healthy, then degraded and failing fast when Redis is unreachable', async () => {
    assert.equal((await open(1_000).check()).status, 'healthy');
    const down = open(1_000);
    await down.close();
    const started = Date.now();
    await assert.rejects(down.get('anything'));
    assert.ok(Date.now() - started < 1_500);
    assert.equal((await down.check()).status, 'degraded');
  });
});
