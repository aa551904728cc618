import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, exportJWK, SignJWT } from 'jose';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';
import { logoutToken, OidcProviderStub } from './oidc-provider-stub.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const nowS = () => Math.floor(Date.now() / 1000);

describe('POST /add-revoked-token, lemon cookie fallback and pipeline order', () => {
  let idp: OidcProviderStub;
  let s: Sidecal;
  const revoke = (opts: { payload?: string; url?: string; headers?: Record<string, string> }) =>
    s.webadmin!.inject({ method: 'POST', url: opts.url ?? '/add-revoked-token', headers: opts.headers ?? FORM, payload: opts.payload ?? '' });
  const generate = (headers: Record<string, string>) => s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers });

  before(async () => {
    idp = await new OidcProviderStub().start();
    idp.tokens.set('tok-grace', { userinfo: { email: 'grace@linagora.com', sid: 'sid-grace' }, introspection: { exp: nowS() + 3600, aud: 'tcalendar' } });
    idp.lemonSessions.set('good-session', 'frank');
    s = await startForTest({
      ...idp.env,
      OIDC_FALLBACK_LEMON_COOKIE_RESOLUTION_URL: `${idp.url}/lemon`,
      OIDC_FALLBACK_LEMON_COOKIE_RESOLUTION_DOMAIN: 'linagora.com',
      // Webadmin behind a password: the logout route must stay reachable by the IdP without it.
      WEBADMIN_PASSWORD: 'webadmin-secret',
    });
  });
  after(async () => {
    await s.close();
    await idp.close();
  });

  it('evicts the session of a form-posted logout token without webadmin credentials', async () => {
    assert.equal((await s.webadmin!.inject({ method: 'GET', url: '/domains' })).statusCode, 401, 'webadmin is protected');
    assert.equal((await generate({ authorization: 'Bearer tok-grace' })).statusCode, 200);
    const before = idp.introspectCalls;
    const res = await revoke({ payload: `logout_token=${logoutToken('sid-grace')}` });
    assert.equal(res.statusCode, 200);
    assert.equal((await generate({ authorization: 'Bearer tok-grace' })).statusCode, 200);
    assert.equal(idp.introspectCalls, before + 1);
  });

  it('accepts the logout token in the query string', async () => {
    const res = await revoke({ url: `/add-revoked-token?logout_token=${logoutToken('sid-x')}` });
    assert.equal(res.statusCode, 200);
  });

  it('answers 415 with a JSON string to anything but a form', async () => {
    for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'text/plain' }, {}] as Record<string, string>[]) {
      const res = await revoke({ headers, payload: `logout_token=${logoutToken('sid-y')}` });
      assert.equal(res.statusCode, 415, JSON.stringify(headers));
      assert.equal(res.body, '"Unsupported Content-Type"');
    }
  });

  it('answers 400 to a missing or unreadable logout token', async () => {
    for (const payload of ['', 'logout_token=', 'logout_token=not-a-jwt', `logout_token=eyJhbGciOiJub25lIn0.${Buffer.from('{"nosid":1}').toString('base64url')}.x`, 'logout_token=eyJ!!!.###.x']) {
      const res = await revoke({ payload });
      assert.equal(res.statusCode, 400, payload);
      assert.equal(res.json<{ statusCode: number }>().statusCode, 400);
    }
  });

  it('authenticates a lemonldap cookie as <result>@<domain>', async () => {
    const res = await generate({ cookie: 'theme=dark; lemonldap=good-session' });
    assert.equal(res.statusCode, 200);
    assert.equal(decodeJwt(res.json<string>()).sub, 'frank@linagora.com');
  });

  it('rejects an unknown lemon session', async () => {
    assert.equal((await generate({ cookie: 'lemonldap=stale' })).statusCode, 401);
  });

  it('does not let a valid cookie rescue an invalid bearer or a wrong Basic password', async () => {
    assert.equal((await generate({ authorization: 'Bearer tok-unknown', cookie: 'lemonldap=good-session' })).statusCode, 401);
    const wrong = `Basic ${Buffer.from('admin@open-paas.org:nope').toString('base64')}`;
    assert.equal((await generate({ authorization: wrong, cookie: 'lemonldap=good-session' })).statusCode, 401);
  });

  it('lets a calendar JWT decide before the cookie', async () => {
    const jwt = (await generate({ authorization: 'Bearer tok-grace' })).json<string>();
    const res = await generate({ authorization: `Bearer ${jwt}`, cookie: 'lemonldap=good-session' });
    assert.equal(res.statusCode, 200);
    assert.equal(decodeJwt(res.json<string>()).sub, 'grace@linagora.com');
    const [h, p] = jwt.split('.');
    assert.equal((await generate({ authorization: `Bearer ${h}.${p}.forged`, cookie: 'lemonldap=good-session' })).statusCode, 401);
  });

  it('answers 400, not 500, to a malformed Basic header', async () => {
    assert.equal((await generate({ authorization: 'Basic %%%' })).statusCode, 400);
    assert.equal((await generate({ authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` })).statusCode, 400);
  });
});

describe('lemon cookie fallback without OIDC', () => {
  let portal: OidcProviderStub;
  let s: Sidecal;
  const generate = (headers: Record<string, string>) => s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers });

  before(async () => {
    portal = await new OidcProviderStub().start();
    portal.lemonSessions.set('good-session', 'frank');
    s = await startForTest({ OIDC_FALLBACK_LEMON_COOKIE_RESOLUTION_URL: `${portal.url}/lemon`, OIDC_FALLBACK_LEMON_COOKIE_RESOLUTION_DOMAIN: 'linagora.com' });
  });
  after(async () => {
    await s.close();
    await portal.close();
  });

  it('authenticates the cookie alone, but never rescues a bearer that OIDC would have judged', async () => {
    const alone = await generate({ cookie: 'lemonldap=good-session' });
    assert.equal(alone.statusCode, 200);
    assert.equal(decodeJwt(alone.json<string>()).sub, 'frank@linagora.com');
    for (const authorization of ['Bearer opaque-token', 'bearer opaque-token', 'Bearer eyJhbGciOiJub25lIn0.e30.x']) {
      assert.equal((await generate({ authorization, cookie: 'lemonldap=good-session' })).statusCode, 401, authorization);
    }
  });
});

describe('POST /add-revoked-token with oidc.jwks.url', () => {
  let idp: OidcProviderStub;
  let s: Sidecal;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const intruder = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signed = (key: typeof keys.privateKey, sid: string) =>
    new SignJWT({ sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt().setExpirationTime('2m').sign(key);

  before(async () => {
    idp = await new OidcProviderStub().start();
    idp.jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    idp.tokens.set('tok-heidi', { userinfo: { email: 'heidi@linagora.com', sid: 'sid-heidi' }, introspection: { exp: nowS() + 3600, aud: 'tcalendar' } });
    s = await startForTest({ ...idp.env, OIDC_JWKS_URL: `${idp.url}/jwks` });
  });
  after(async () => {
    await s.close();
    await idp.close();
  });

  const revoke = (token: string) => s.webadmin!.inject({ method: 'POST', url: '/add-revoked-token', headers: FORM, payload: `logout_token=${token}` });
  const call = () => s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers: { authorization: 'Bearer tok-heidi' } });

  it('rejects unsigned and foreign-signed logout tokens and keeps the session cached', async () => {
    await call();
    const calls = idp.introspectCalls;
    assert.equal((await revoke(logoutToken('sid-heidi'))).statusCode, 400);
    assert.equal((await revoke(await signed(intruder.privateKey, 'sid-heidi'))).statusCode, 400);
    await call();
    assert.equal(idp.introspectCalls, calls);
  });

  it('accepts a logout token signed by the provider', async () => {
    await call();
    const calls = idp.introspectCalls;
    assert.equal((await revoke(await signed(keys.privateKey, 'sid-heidi'))).statusCode, 200);
    await call();
    assert.equal(idp.introspectCalls, calls + 1);
  });
});
