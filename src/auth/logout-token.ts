import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../core/clock.js';
import { BadRequestError } from '../core/errors.js';

/**
 * Reads the `sid` of an OIDC back-channel logout token (spec webadmin.md 3.1). With `oidc.jwks.url` the signature is
 * checked against the provider's keys (a sidecal hardening: anyone reaching the route could otherwise log users out);
 * without it only the payload is decoded, as the reference does.
 */
export class LogoutTokenReader {
  private readonly keys: JWTVerifyGetKey | undefined;

  constructor(jwksUrl: string | undefined, private readonly clock: Clock) {
    this.keys = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl)) : undefined;
  }

  async sidOf(token: string): Promise<string> {
    if (!token.startsWith('eyJ')) throw new BadRequestError('Token do not start with JWT prefix');
    let payload: Record<string, unknown>;
    try {
      payload = this.keys ? (await jwtVerify(token, this.keys, { currentDate: this.clock.now() })).payload : decodeJwt(token);
    } catch (e) {
      throw new BadRequestError('Invalid logout token', { cause: e, details: this.keys ? 'signature, expiry or format rejected' : 'undecodable payload' });
    }
    if (typeof payload.sid !== 'string' || payload.sid === '') throw new BadRequestError('Unable to extract Sid from logout token');
    return payload.sid;
  }
}
