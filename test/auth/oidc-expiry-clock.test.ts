import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/clock.js';
import { startSidecal, type Sidecal } from '../../src/main.js';
import { silentLogger, testConfig } from '../support/sidecal.js';
import { OidcProviderStub } from './oidc-provider-stub.js';

// Audience and expiry are checked on every request, hits included: a cached token stops working at its exp, and the
// cache entry itself lapses after oidc.token.cache.expiration.
describe('OIDC token expiry under a controlled clock', () => {
  const clock = new FakeClock('2025-09-05T08:00:00Z');
  const nowS = () => Math.floor(clock.now().getTime() / 1000);
  let idp: OidcProviderStub;
  let s: Sidecal;
  const call = (token: string) => s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    idp = await new OidcProviderStub().start();
    s = await startSidecal(testConfig({ ...idp.env, OIDC_TOKEN_CACHE_EXPIRATION: '5m' }), { logger: silentLogger, clock, listen: false });
  });
  after(async () => {
    await s.close();
    await idp.close();
  });

  it('rejects a cached token once its exp has passed, without asking the IdP', async () => {
    idp.tokens.set('tok-short', { userinfo: { email: 'kim@linagora.com' }, introspection: { exp: nowS() + 60, aud: 'tcalendar' } });
    assert.equal((await call('tok-short')).statusCode, 200);
    clock.advance(61_000);
    const calls = idp.introspectCalls;
    assert.equal((await call('tok-short')).statusCode, 401);
    assert.equal(idp.introspectCalls, calls);
  });

  it('asks the IdP again once the cache entry has expired', async () => {
    idp.tokens.set('tok-long', { userinfo: { email: 'lee@linagora.com' }, introspection: { exp: nowS() + 36_000, aud: 'tcalendar' } });
    await call('tok-long');
    const calls = idp.introspectCalls;
    clock.advance(299_000);
    await call('tok-long');
    assert.equal(idp.introspectCalls, calls);
    clock.advance(2_000);
    assert.equal((await call('tok-long')).statusCode, 200);
    assert.equal(idp.introspectCalls, calls + 1);
  });
});
