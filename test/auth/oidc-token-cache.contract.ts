import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { OidcTokenCache, TokenInfo } from '../../src/auth/oidc-token-cache.js';

const info = (email: string, sid?: string): TokenInfo => ({ email, exp: 1_900_000_000, aud: ['tcalendar', 'account'], sid });

/**
 * Guarantees of the OidcTokenCache port (src/auth/oidc-token-cache.ts). `make` gets a TTL and returns the cache plus a
 * way to let that TTL pass (a fake clock for memory, a real wait for Redis).
 */
export function oidcTokenCacheContract(make: (ttlMs: number) => Promise<{ cache: OidcTokenCache; elapse: (ms: number) => Promise<void>; unique: string }>) {
  it('misses an unknown token', async () => {
    const { cache, unique } = await make(60_000);
    assert.equal(await cache.get(`${unique}-nope`), undefined);
  });

  it('returns what was put, audience list and sid included', async () => {
    const { cache, unique } = await make(60_000);
    await cache.put(`${unique}-t1`, info('alice@linagora.com', `${unique}-s1`));
    assert.deepEqual(await cache.get(`${unique}-t1`), info('alice@linagora.com', `${unique}-s1`));
  });

  it('caches tokens without sid', async () => {
    const { cache, unique } = await make(60_000);
    await cache.put(`${unique}-t2`, info('bob@linagora.com'));
    assert.deepEqual(await cache.get(`${unique}-t2`), info('bob@linagora.com'));
  });

  it('forgets an entry once the expiration has passed', async () => {
    const { cache, elapse, unique } = await make(1_000);
    await cache.put(`${unique}-t3`, info('carol@linagora.com', `${unique}-s3`));
    await elapse(1_100);
    assert.equal(await cache.get(`${unique}-t3`), undefined);
  });

  it('invalidateSid drops every token of that sid and keeps the others', async () => {
    const { cache, unique } = await make(60_000);
    await cache.put(`${unique}-a`, info('alice@linagora.com', `${unique}-sa`));
    await cache.put(`${unique}-b`, info('alice@linagora.com', `${unique}-sa`));
    await cache.put(`${unique}-c`, info('bob@linagora.com', `${unique}-sb`));
    await cache.put(`${unique}-d`, info('dan@linagora.com'));
    await cache.invalidateSid(`${unique}-sa`);
    assert.equal(await cache.get(`${unique}-a`), undefined);
    assert.equal(await cache.get(`${unique}-b`), undefined);
    assert.equal((await cache.get(`${unique}-c`))?.email, 'bob@linagora.com');
    assert.equal((await cache.get(`${unique}-d`))?.email, 'dan@linagora.com');
  });

  it('invalidating an unknown sid is a no-op', async () => {
    const { cache, unique } = await make(60_000);
    await cache.put(`${unique}-e`, info('erin@linagora.com', `${unique}-se`));
    await cache.invalidateSid(`${unique}-unknown`);
    assert.equal((await cache.get(`${unique}-e`))?.email, 'erin@linagora.com');
  });

  it('a token put again after invalidation is cached again', async () => {
    const { cache, unique } = await make(60_000);
    await cache.put(`${unique}-f`, info('fred@linagora.com', `${unique}-sf`));
    await cache.invalidateSid(`${unique}-sf`);
    await cache.put(`${unique}-f`, info('fred@linagora.com', `${unique}-sf`));
    assert.equal((await cache.get(`${unique}-f`))?.email, 'fred@linagora.com');
  });
}
