import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';

describe('webadmin JWT authentication', () => {
  const trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let s: Sidecal;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidecal-wa-jwt-'));
    const pem = join(dir, 'jwt_publickey');
    writeFileSync(pem, trusted.publicKey.export({ type: 'spki', format: 'pem' }));
    s = await startForTest({ WEBADMIN_JWT_ENABLED: 'true', WEBADMIN_JWT_PUBLICKEYPEM_URL: `file://${pem}` });
  });
  after(async () => s.close());

  const token = (claims: Record<string, unknown>, key = trusted.privateKey) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime('1h').sign(key);
  const get = (authorization?: string) => s.webadmin!.inject({ method: 'GET', url: '/domains', headers: authorization ? { authorization } : {} });

  test('an admin token signed by the configured key is accepted', async () => {
    assert.equal((await get(`Bearer ${await token({ sub: 'admin@open-paas.org', admin: true })}`)).statusCode, 200);
  });

  test('missing, forged, non-admin and unsigned tokens are refused with the reference wording', async () => {
    assert.equal((await get()).body, 'No Bearer header.');
    assert.equal((await get(`Bearer ${await token({ sub: 'x', admin: true }, stranger.privateKey)}`)).body, 'Invalid token.');
    assert.equal((await get(`Bearer ${await token({ sub: 'user@open-paas.org', admin: false })}`)).body, 'Non authorized user.');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","admin":true}').toString('base64url')}.`;
    const r = await get(`Bearer ${unsigned}`);
    assert.equal(r.statusCode, 401);
    assert.equal(r.body, 'Invalid token.');
    assert.equal((await get('Bearer garbage')).body, 'Invalid token.');
  });

  test('public routes stay public', async () => {
    assert.equal((await s.webadmin!.inject({ method: 'GET', url: '/healthcheck' })).statusCode, 200);
  });
});
