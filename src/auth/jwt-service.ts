import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Logger } from 'pino';
import type { JwtConfig } from '../config/config-types.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { readResource } from '../core/resources.js';

/**
 * RS256 tokens signed with `jwt.key.private` and verified with any key of `jwt.key.public`: the OpenPaaS JWTs of
 * `/api/jwt/generate`, the excal participation links and the resource links (esn-sabre trusts the same public key).
 * Only RS256 is accepted when verifying: `alg: none` and HS256-with-the-public-key confusion are rejected.
 */
export class JwtService {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKeys: KeyObject[],
    private readonly validityMs: number,
    private readonly clock: Clock,
  ) {}

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
    const jwt = new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256' }).setIssuedAt(iat);
    if (expiresInMs !== null) jwt.setExpirationTime(iat + Math.floor(expiresInMs / 1000));
    return jwt.sign(this.privateKey);
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
