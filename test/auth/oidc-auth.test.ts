import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';
import { logoutToken, OidcProviderStub } from './oidc-provider-stub.js';

const nowS = () => Math.floor(Date.now() / 1000);

describe('OIDC bearer tokens (rest-api.md 2.5)', () => {
  let idp: OidcProviderStub;
  let s: Sidecal;

  before(async () => {
    idp = await new OidcProviderStub().start();
    s = await startForTest({ ...idp.env, OIDC_INTROSPECT_CREDENTIALS: 'Basic aW50cm86c3BlY3Q=' });
  });
  after(async () => {
    await s.close();
    await idp.close();
  });
  beforeEach(() => {
    idp.userinfoCalls = 0;
    idp.introspectCalls = 0;
    idp.delayMs = 0;
  });

  function give(token: string, opts: { email?: string; aud?: unknown; exp?: number; sid?: string; given?: string; family?: string } = {}) {
    const introspection: Record<string, unknown> = { exp: opts.exp ?? nowS() + 3600 };
    if (opts.aud !== null) introspection.aud = opts.aud ?? 'tcalendar';
    idp.tokens.set(token, {
      userinfo: { email: opts.email ?? 'alice@linagora.com', sid: opts.sid, given_name: opts.given, family_name: opts.family },
      introspection,
    });
  }
  const call = (token: string) => s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers: { authorization: `Bearer ${token}` } });
  const registered = async () => (await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { email: string; firstname: string; lastname: string }[];

  it('authenticates a valid token as the userinfo email, sending the introspection credentials verbatim', async () => {
    give('tok-valid', { email: 'Alice@Linagora.com' });
    const res = await call('tok-valid');
    assert.equal(res.statusCode, 200);
    assert.equal(decodeJwt(res.json<string>()).sub, 'alice@linagora.com');
    assert.equal(idp.introspectAuthorizations.at(-1), 'Basic aW50cm86c3BlY3Q=');
  });

  it('serves the second call from the cache', async () => {
    give('tok-cached');
    assert.equal((await call('tok-cached')).statusCode, 200);
    assert.equal((await call('tok-cached')).statusCode, 200);
    assert.equal(idp.introspectCalls, 1);
    assert.equal(idp.userinfoCalls, 1);
  });

  it('rejects an unknown token with an empty 401', async () => {
    const res = await call('tok-unknown');
    assert.equal(res.statusCode, 401);
    assert.equal(res.body, '');
  });

  it('rejects an expired token, on the first call and from the cache', async () => {
    give('tok-expired', { exp: nowS() - 10 });
    assert.equal((await call('tok-expired')).statusCode, 401);
    assert.equal((await call('tok-expired')).statusCode, 401);
  });

  it('rejects a token for another audience; accepts an audience array containing ours', async () => {
    give('tok-aud-other', { aud: 'other-app' });
    assert.equal((await call('tok-aud-other')).statusCode, 401);
    give('tok-aud-array', { aud: ['account', 'tcalendar'], email: 'bob@linagora.com' });
    assert.equal((await call('tok-aud-array')).statusCode, 200);
  });

  it('rejects a token without audience with 401, not 500', async () => {
    give('tok-no-aud', { aud: null });
    assert.equal((await call('tok-no-aud')).statusCode, 401);
  });

  it('asks the IdP again after a back-channel logout of the session', async () => {
    give('tok-logout', { sid: 'session-1', email: 'carol@linagora.com' });
    give('tok-other-session', { sid: 'session-2', email: 'carol@linagora.com' });
    await call('tok-logout');
    await call('tok-other-session');
    const logout = await s.webadmin!.inject({
      method: 'POST',
      url: '/add-revoked-token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `logout_token=${logoutToken('session-1')}`,
    });
    assert.equal(logout.statusCode, 200);
    idp.introspectCalls = 0;
    await call('tok-logout');
    assert.equal(idp.introspectCalls, 1);
    await call('tok-other-session');
    assert.equal(idp.introspectCalls, 1, 'the other session stays cached');
  });

  it('provisions the user once, with its names, under concurrent first calls sharing one IdP round trip', async () => {
    give('tok-new', { email: 'dave@linagora.com', given: 'Dave', family: 'Lombardo' });
    idp.delayMs = 50;
    const replies = await Promise.all(Array.from({ length: 8 }, () => call('tok-new')));
    assert.deepEqual(replies.map((r) => r.statusCode), Array(8).fill(200));
    assert.equal(idp.introspectCalls, 1);
    const daves = (await registered()).filter((u) => u.email === 'dave@linagora.com');
    assert.deepEqual(daves.map(({ firstname, lastname }) => ({ firstname, lastname })), [{ firstname: 'Dave', lastname: 'Lombardo' }]);
  });

  it('provisions with empty names when the IdP gives none', async () => {
    give('tok-noname', { email: 'erin@linagora.com' });
    assert.equal((await call('tok-noname')).statusCode, 200);
    const erin = (await registered()).find((u) => u.email === 'erin@linagora.com');
    assert.deepEqual(erin && [erin.firstname, erin.lastname], ['', '']);
  });

  it('rejects a user of an unknown domain without creating the domain', async () => {
    give('tok-foreign', { email: 'mallory@unknown.org' });
    assert.equal((await call('tok-foreign')).statusCode, 401);
    assert.equal((await s.webadmin!.inject({ method: 'GET', url: '/domains/unknown.org' })).statusCode, 404);
    assert.equal((await registered()).some((u) => u.email === 'mallory@unknown.org'), false);
  });

  it('answers 401, never 500, to malformed bearer headers', async () => {
    for (const authorization of ['Bearer ', 'Bearer', 'bearer    ', 'Bearer eyJ.not.ajwt', 'Bearer a b c']) {
      const res = await s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers: { authorization } });
      assert.equal(res.statusCode, 401, authorization);
    }
  });
});
