import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';
import { OidcProviderStub } from './oidc-provider-stub.js';

// Redis configured but unreachable (nothing listens on port 1): the cache degrades, authentication does not.
describe('OIDC with Redis unreachable', () => {
  let idp: OidcProviderStub;
  let s: Sidecal;

  before(async () => {
    idp = await new OidcProviderStub().start();
    idp.tokens.set('tok-ivan', { userinfo: { email: 'ivan@linagora.com', sid: 's-ivan' }, introspection: { exp: Math.floor(Date.now() / 1000) + 3600, aud: 'tcalendar' } });
    s = await startForTest({ ...idp.env, REDIS_URL: 'redis://127.0.0.1:1' });
  });
  after(async () => {
    await s.close();
    await idp.close();
  });

  it('still authenticates through the identity provider, on every call', async () => {
    for (let i = 1; i <= 2; i++) {
      const res = await s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers: { authorization: 'Bearer tok-ivan' } });
      assert.equal(res.statusCode, 200);
      assert.equal(idp.introspectCalls, i);
    }
  });

  it('reports the Redis backend component as degraded', async () => {
    const res = await s.webadmin!.inject({ method: 'GET', url: '/healthcheck/checks/Redis%20backend' });
    assert.equal(res.json<{ status: string }>().status, 'degraded');
  });

  it('answers a logout without error', async () => {
    const res = await s.webadmin!.inject({
      method: 'POST', url: '/add-revoked-token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `logout_token=eyJhbGciOiJub25lIn0.${Buffer.from('{"sid":"s-ivan"}').toString('base64url')}.x`,
    });
    assert.equal(res.statusCode, 200);
  });
});
