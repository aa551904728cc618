import type { FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { UnauthorizedError } from '../core/errors.js';
import { checkUsername, domainOf } from '../core/names.js';
import type { DomainStore } from '../storage/domain-store.js';
import type { AuthenticatedUser, AuthStrategy } from './auth-types.js';
import type { JwtService } from './jwt-service.js';

export const AUTH_TYPE_CLAIM = 'twake_calendar_auth_type';

/**
 * Whether a header carries one of our own JWTs (spec rest-api.md 2.4): `Bearer ` (case-sensitive), `eyJ…`, three parts
 * and an unverified payload claiming `twake_calendar_auth_type: jwt`. Other bearers (OIDC access tokens, OpenPaaS JWTs
 * without the claim) are left to the OIDC strategy.
 */
export function isCalendarJwtHeader(header: string): boolean {
  if (!header.startsWith('Bearer ')) return false;
  const token = header.slice(7).trim();
  if (!token.startsWith('eyJ') || token.split('.').length !== 3) return false;
  try {
    const claim = decodeJwt(token)[AUTH_TYPE_CLAIM];
    return typeof claim === 'string' && claim.toLowerCase() === 'jwt';
  } catch {
    return false;
  }
}

/** Legacy OpenPaaS JWTs minted by `POST /api/jwt/generate`: RS256 with our key pair, `sub` a user of a managed domain. */
export class JwtStrategy implements AuthStrategy {
  readonly name = 'jwt';

  constructor(private readonly deps: { jwt: JwtService; domains: DomainStore }) {}

  async authenticate(request: FastifyRequest): Promise<AuthenticatedUser | undefined> {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !isCalendarJwtHeader(header)) return undefined;
    // JwtService.verify pins RS256: alg none and HS256 signed with the public key are rejected there.
    const payload = await this.deps.jwt.verify(header.slice(7).trim());
    if (!payload) throw new UnauthorizedError('Invalid or expired JWT');
    const sub = typeof payload.sub === 'string' ? checkUsername(payload.sub, { requireDomain: true }) : undefined;
    if (!sub?.ok) throw new UnauthorizedError('JWT subject is not a valid username');
    const domain = domainOf(sub.value);
    if (!(await this.deps.domains.retrieveByName(domain))) throw new UnauthorizedError('JWT subject of an unmanaged domain');
    return { username: sub.value, domain, isAdmin: false, via: 'jwt' };
  }
}

/** The token of `POST /api/jwt/generate` (spec 2.4): `sub`, the auth-type claim, `iat`, `exp = iat + jwt.key.validity`. */
export function generateUserJwt(jwt: JwtService, username: string): Promise<string> {
  return jwt.sign({ sub: username, [AUTH_TYPE_CLAIM]: 'jwt' });
}
