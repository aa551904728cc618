import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { JwtService } from '../../src/auth/jwt-service.js';
import { FakeClock } from '../../src/core/clock.js';

const NOW = new Date('2025-09-01T00:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('JwtService: RS256 signed with node:crypto, verified with jose', () => {
  const ours = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clock = new FakeClock(NOW);
  const jwt = JwtService.fromKeys(ours.privateKey, [ours.publicKey], 7_200_000, clock);
  const claims = { attendeeEmail: 'bob@example.com', organizerEmail: 'anne@example.com', uid: 'a0b5a363', calendarURI: 'home', action: 'ACCEPTED' };

  it('signs tokens that jose verifies as RS256, header {typ, alg}, claims then iat and exp', async () => {
    const token = await jwt.sign(claims);
    assert.deepEqual(decodeProtectedHeader(token), { typ: 'JWT', alg: 'RS256' });
    const { payload, protectedHeader } = await jwtVerify(token, ours.publicKey, { algorithms: ['RS256'], currentDate: NOW });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.deepEqual(payload, { ...claims, iat: NOW_S, exp: NOW_S + 7200 });
    assert.deepEqual(Object.keys(payload), [...Object.keys(claims), 'iat', 'exp']);
  });

  it('produces the very bytes jose SignJWT produces for the same claims and time (PKCS#1 v1.5 is deterministic)', async () => {
    const expected = await new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256' }).setIssuedAt(NOW_S).setExpirationTime(NOW_S + 7200).sign(ours.privateKey);
    assert.equal(await jwt.sign(claims), expected);
    const noExpiry = await new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256' }).setIssuedAt(NOW_S).sign(ours.privateKey);
    assert.equal(await jwt.sign(claims, null), noExpiry);
  });

  it('a null expiry gives a token without exp that verifies at any later date', async () => {
    const token = await jwt.sign(claims, null);
    const later = JwtService.fromKeys(ours.privateKey, [ours.publicKey], 1000, new FakeClock(new Date('2035-01-01T00:00:00Z')));
    const payload = await later.verify(token);
    assert.equal(payload?.exp, undefined);
    assert.equal(payload?.action, 'ACCEPTED');
  });

  it('given iat/exp claims are replaced by its own', async () => {
    const payload = await jwt.verify(await jwt.sign({ sub: 'alice@example.com', iat: 1, exp: 2 }, 60_000));
    assert.deepEqual(payload, { sub: 'alice@example.com', iat: NOW_S, exp: NOW_S + 60 });
  });

  it('verifies tokens jose signed with the private key, with any configured public key', async () => {
    const token = await new SignJWT({ sub: 'alice@example.com' }).setProtectedHeader({ alg: 'RS256' }).setIssuedAt(NOW_S).setExpirationTime(NOW_S + 60).sign(ours.privateKey);
    assert.equal((await jwt.verify(token))?.sub, 'alice@example.com');
    const rotated = JwtService.fromKeys(ours.privateKey, [other.publicKey, ours.publicKey], 60_000, clock);
    assert.equal((await rotated.verify(token))?.sub, 'alice@example.com');
  });

  it('signs many tokens concurrently (thread pool), each valid and distinct', async () => {
    const tokens = await Promise.all(Array.from({ length: 24 }, (_, i) => jwt.sign({ ...claims, uid: `uid-${i}` }, null)));
    const uids = await Promise.all(tokens.map(async (t) => (await jwt.verify(t))?.uid));
    assert.deepEqual(uids, Array.from({ length: 24 }, (_, i) => `uid-${i}`));
  });

  it('rejects another key, expiry, tampering, alg none, HS256 with the public key, and RS512/PS256', async () => {
    const sign = (alg: string, key = ours.privateKey) =>
      new SignJWT({ sub: 'alice@example.com' }).setProtectedHeader({ alg }).setIssuedAt(NOW_S).setExpirationTime(NOW_S + 60).sign(key);
    assert.equal(await jwt.verify(await sign('RS256', other.privateKey)), undefined);
    assert.equal(await jwt.verify(await sign('RS512')), undefined);
    assert.equal(await jwt.verify(await sign('PS256')), undefined);
    const expired = await new SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'RS256' }).setIssuedAt(NOW_S - 120).setExpirationTime(NOW_S - 60).sign(ours.privateKey);
    assert.equal(await jwt.verify(expired), undefined);
    const [h, , s] = (await jwt.sign(claims)).split('.');
    assert.equal(await jwt.verify(`${h}.${b64({ ...claims, action: 'REJECTED', iat: NOW_S })}.${s}`), undefined);
    assert.equal(await jwt.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice@example.com' })}.`), undefined);
    const pem = ours.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'alice@example.com', exp: NOW_S + 60 })}`;
    assert.equal(await jwt.verify(`${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`), undefined);
    assert.equal(await jwt.verify('not a token'), undefined);
  });

  it('refuses a signing key that cannot make RS256 tokens (EC, RSA-PSS, under 2048 bits, a public key)', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    for (const key of [ec.privateKey, pss.privateKey, small.privateKey, createPublicKey(ours.privateKey)]) {
      assert.throws(() => JwtService.fromKeys(key, [ours.publicKey], 1000, clock), /RSA private key of at least 2048 bits/);
    }
  });
});
