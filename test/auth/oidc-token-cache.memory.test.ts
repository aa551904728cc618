import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryOidcTokenCache } from '../../src/auth/oidc-token-cache.memory.js';
import { FakeClock } from '../../src/core/clock.js';
import { oidcTokenCacheContract } from './oidc-token-cache.contract.js';

describe('MemoryOidcTokenCache contract', () => {
  oidcTokenCacheContract(async (ttlMs) => {
    const clock = new FakeClock();
    return { cache: new MemoryOidcTokenCache({ ttlMs, maxSize: 100 }, clock), elapse: async (ms) => clock.advance(ms), unique: 'm' };
  });
});

describe('MemoryOidcTokenCache bounds', () => {
  const info = (sid: string) => ({ email: 'a@linagora.com', exp: 2_000_000_000, aud: ['tcalendar'], sid });

  it('evicts the least recently used entry beyond maxSize, and its sid index with it', async () => {
    const cache = new MemoryOidcTokenCache({ ttlMs: 60_000, maxSize: 2 }, new FakeClock());
    await cache.put('t1', info('s1'));
    await cache.put('t2', info('s2'));
    await cache.get('t1');
    await cache.put('t3', info('s3'));
    assert.equal(cache.size, 2);
    assert.equal(await cache.get('t2'), undefined);
    assert.equal((await cache.get('t1'))?.sid, 's1');
    // The evicted token does not come back through its sid, and invalidating it is harmless.
    await cache.invalidateSid('s2');
    assert.equal(cache.size, 2);
  });
});
