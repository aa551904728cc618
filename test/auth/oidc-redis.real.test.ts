import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';
import { requireEnv, uniqueName } from '../support/real.js';
import { logoutToken, OidcProviderStub } from './oidc-provider-stub.js';

// Two sidecal instances sharing one real Redis: one introspection serves both, a logout on either evicts for both.
describe('OIDC token cache shared through Redis', () => {
  const redisUrl = requireEnv('REDIS_URL');
  let idp: OidcProviderStub;
  let a: Sidecal;
  let b: Sidecal;
  const token = uniqueName('tok');
  const sid = uniqueName('sid');
  const call = (s: Sidecal) => s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    idp = await new OidcProviderStub().start();
    idp.tokens.set(token, { userinfo: { email: 'judy@linagora.com', sid }, introspection: { exp: Math.floor(Date.now() / 1000) + 3600, aud: ['tcalendar'] } });
    a = await startForTest({ ...idp.env, REDIS_URL: redisUrl });
    b = await startForTest({ ...idp.env, REDIS_URL: redisUrl });
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await idp.close();
  });

  it('serves the second instance from the cache the first one filled', async () => {
    assert.equal((await call(a)).statusCode, 200);
    assert.equal((await call(b)).statusCode, 200);
    assert.equal(idp.introspectCalls, 1);
    assert.equal(idp.userinfoCalls, 1);
  });

  it('reports the Redis backend healthy', async () => {
    const res = await a.webadmin!.inject({ method: 'GET', url: '/healthcheck/checks/Redis%20backend' });
    assert.equal(res.json<{ status: string }>().status, 'healthy');
  });

  it('a logout received by one instance makes the other ask the IdP again', async () => {
    const res = await b.webadmin!.inject({
      method: 'POST', url: '/add-revoked-token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `logout_token=${logoutToken(sid)}`,
    });
    assert.equal(res.statusCode, 200);
    const before = idp.introspectCalls;
    assert.equal((await call(a)).statusCode, 200);
    assert.equal(idp.introspectCalls, before + 1);
  });
});
