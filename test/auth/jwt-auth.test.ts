import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

describe('legacy OpenPaaS JWT (rest-api.md 2.4) and POST /api/jwt/generate (4.9)', () => {
  const ours = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = ours.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let s: Sidecal;
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  const generate = (authorization: string) => s.rest.inject({ method: 'POST', url: '/api/jwt/generate', headers: { authorization } });
  const claims = (sub: string) => ({ sub, twake_calendar_auth_type: 'jwt' });

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidecal-jwt-'));
    writeFileSync(join(dir, 'private.pem'), ours.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'public.pem'), publicPem);
    s = await startForTest({ JWT_KEY_PRIVATE: `file://${dir}/private.pem`, JWT_KEY_PUBLIC: `file://${dir}/public.pem`, JWT_KEY_VALIDITY: 'PT2H' });
    const put = await s.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'alicepw' } });
    assert.equal(put.statusCode, 204);
  });
  after(async () => s.close());

  it('generates a JSON string token with the reference claims, usable as a Bearer', async () => {
    const res = await generate(basic('alice@linagora.com', 'alicepw'));
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.match(res.body, /^"eyJ[^"]+"$/);
    const token = res.json<string>();
    assert.deepEqual(decodeProtectedHeader(token), { typ: 'JWT', alg: 'RS256' });
    const payload = decodeJwt(token);
    assert.equal(payload.sub, 'alice@linagora.com');
    assert.equal(payload.twake_calendar_auth_type, 'jwt');
    assert.equal(payload.exp! - payload.iat!, 7200);
    const again = await generate(`Bearer ${token}`);
    assert.equal(again.statusCode, 200);
    assert.equal(decodeJwt(again.json<string>()).sub, 'alice@linagora.com');
  });

  it('rejects generation without credentials', async () => {
    assert.equal((await s.rest.inject({ method: 'POST', url: '/api/jwt/generate' })).statusCode, 401);
  });

  it('rejects a token signed with another key', async () => {
    const forged = await new SignJWT(claims('alice@linagora.com')).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime('1h').sign(other.privateKey);
    assert.equal((await generate(`Bearer ${forged}`)).statusCode, 401);
  });

  it('rejects an expired token signed with our key', async () => {
    const expired = await new SignJWT(claims('alice@linagora.com')).setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt(nowS() - 7200).setExpirationTime(nowS() - 60).sign(ours.privateKey);
    assert.equal((await generate(`Bearer ${expired}`)).statusCode, 401);
  });

  it('rejects alg none', async () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims('alice@linagora.com'), exp: nowS() + 3600 })}.`;
    assert.equal((await generate(`Bearer ${none}`)).statusCode, 401);
  });

  it('rejects HS256 signed with the public key (algorithm confusion)', async () => {
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims('alice@linagora.com'), exp: nowS() + 3600 })}`;
    const sig = createHmac('sha256', publicPem).update(head).digest('base64url');
    assert.equal((await generate(`Bearer ${head}.${sig}`)).statusCode, 401);
  });

  it('rejects a valid token whose payload was changed', async () => {
    const token = (await generate(basic('alice@linagora.com', 'alicepw'))).json<string>();
    const [h, , sig] = token.split('.');
    const tampered = `${h}.${b64({ ...decodeJwt(token), sub: 'bob@linagora.com' })}.${sig}`;
    assert.equal((await generate(`Bearer ${tampered}`)).statusCode, 401);
  });

  it('rejects a subject of an unmanaged domain', async () => {
    const token = await new SignJWT(claims('eve@elsewhere.org')).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime('1h').sign(ours.privateKey);
    assert.equal((await generate(`Bearer ${token}`)).statusCode, 401);
  });

  it('leaves a JWT without the calendar claim to OIDC (disabled here: 401)', async () => {
    const openpaas = await new SignJWT({ sub: 'alice@linagora.com' }).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime('1h').sign(ours.privateKey);
    assert.equal((await generate(`Bearer ${openpaas}`)).statusCode, 401);
  });
});
