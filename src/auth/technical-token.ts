import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';

const ISSUER = 'Twake-calendar-side-service';

/**
 * HS256 technical tokens (spec rest-api.md 2.8, storage.md "not stored"): sent to esn-sabre in the
 * `TwakeCalendarToken` header and introspected by esn-sabre through `GET /api/technicalToken/introspect`.
 * The secret must be the same on every node (`jwt.technical.token.secret`); without it a random one per process.
 */
export class TechnicalTokenService {
  private readonly secret: Uint8Array;

  constructor(
    secret: string | undefined,
    private readonly expirationMs: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.secret = secret ? new TextEncoder().encode(secret) : randomBytes(32);
  }

  /** A token for the given domain id (esn-sabre needs the domain of the technical user). */
  async generate(domainId: string): Promise<string> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ technicalToken: true, domainId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + Math.floor(this.expirationMs / 1000))
      .sign(this.secret);
  }

  /** The domain id of a valid token, or undefined. */
  async verify(token: string): Promise<{ domainId: string } | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, currentDate: this.clock.now() });
      if (payload.technicalToken !== true || typeof payload.domainId !== 'string') return undefined;
      return { domainId: payload.domainId };
    } catch {
      return undefined;
    }
  }
}
