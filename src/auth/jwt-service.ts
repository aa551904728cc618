import { generateKeyPairSync, createPrivateKey, createPublicKey, sign as rsaSign, type KeyObject } from 'node:crypto';
import { jwtVerify, type JWTPayload } from 'jose';
import type { Logger } from 'pino';
import type { JwtConfig } from '../config/config-types.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { readResource } from '../core/resources.js';

const HEADER = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256' })).toString('base64url');

/**
 * RS256 tokens signed with `jwt.key.private` and verified with any key of `jwt.key.public`: the OpenPaaS JWTs of
 * `/api/jwt/generate`, the excal participation links and the resource links (esn-sabre trusts the same public key).
 * Only RS256 is accepted when verifying: `alg: none` and HS256-with-the-public-key confusion are rejected.
 *
 * Signing calls node:crypto directly rather than jose: the callback form runs on libuv's thread pool, so the three
 * tokens of an invitation are signed in parallel, and it skips jose's per-call WebCrypto key import and checks (≈ 20 %
 * of a sign). Verification stays with jose, whose RS256-only check is the security boundary.
 */
export class JwtService {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKeys: KeyObject[],
    private readonly validityMs: number,
    private readonly clock: Clock,
  ) {
    // node:crypto signs with whatever the key is (an EC key would give an ECDSA signature under an RS256 header), so
    // the key is checked once here, with jose's rule for RS256: RSA (PKCS#1 v1.5, not PSS), at least 2048 bits.
    const modulus = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa' || modulus < 2048) {
      throw new Error('jwt.key.private must be an RSA private key of at least 2048 bits (tokens are RS256)');
    }
  }

  static async create(config: JwtConfig, confDir: string, logger: Logger, clock: Clock = systemClock): Promise<JwtService> {
    if (!config.privateKey) {
      logger.warn('jwt.key.private not set: using a key pair generated for this process (tokens do not survive a restart and esn-sabre cannot verify them)');
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return new JwtService(privateKey, [publicKey], config.validityMs, clock);
    }
    const privateKey = createPrivateKey(await readResource(config.privateKey, confDir));
    const publicKeys = config.publicKeys.length > 0
      ? await Promise.all(config.publicKeys.map(async (ref) => createPublicKey(await readResource(ref, confDir))))
      : [createPublicKey(privateKey)];
    return new JwtService(privateKey, publicKeys, config.validityMs, clock);
  }

  /** For tests: a service over a given key pair. */
  static fromKeys(privateKey: KeyObject, publicKeys: KeyObject[], validityMs: number, clock: Clock = systemClock): JwtService {
    return new JwtService(privateKey, publicKeys, validityMs, clock);
  }

  /** Signs claims; `expiresInMs` defaults to `jwt.key.validity`, `null` means no expiry (excal links never expire). */
  async sign(claims: JWTPayload, expiresInMs: number | null = this.validityMs): Promise<string> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    // Same bytes as jose's SignJWT: the claims in their order, then iat and exp (overwriting any given ones in place).
    const payload: JWTPayload = { ...claims, iat };
    if (expiresInMs !== null) payload.exp = iat + Math.floor(expiresInMs / 1000);
    const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    // Dispatched to the thread pool now, before the caller's next await: concurrent signs overlap with its own work.
    return new Promise((resolve, reject) => {
      rsaSign('sha256', Buffer.from(input), this.privateKey, (err, signature) => {
        if (err) reject(err);
        else resolve(`${input}.${signature.toString('base64url')}`);
      });
    });
  }

  /** Verifies signature (any configured public key) and expiry; resolves undefined when the token is not valid. */
  async verify(token: string): Promise<JWTPayload | undefined> {
    for (const key of this.publicKeys) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['RS256'], currentDate: this.clock.now() });
        return payload;
      } catch {
        // try the next key
      }
    }
    return undefined;
  }

  get validity(): number {
    return this.validityMs;
  }
}
