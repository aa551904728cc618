import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { DomainNotFoundError, UnauthorizedError, UserConflictError } from '../core/errors.js';
import { checkUsername, domainOf } from '../core/names.js';
import type { UserStore } from '../storage/user-store.js';
import type { AuthenticatedUser, AuthStrategy } from './auth-types.js';
import type { OidcResolver, ResolvedToken } from './oidc-resolver.js';
import { tokenHash, type OidcTokenCache, type TokenInfo } from './oidc-token-cache.js';

/**
 * `Authorization: Bearer <opaque>` (spec rest-api.md 2.5), for any bearer that is not a calendar JWT. A cache miss asks
 * the IdP (one round trip shared by concurrent misses of the same token) and provisions the OpenPaaS user; audience and
 * expiry are checked on every request, hit or miss. A cache failure (Redis down) only costs an IdP round trip.
 */
export class OidcStrategy implements AuthStrategy {
  readonly name = 'oidc';
  private readonly inFlight = new Map<string, Promise<TokenInfo>>();

  constructor(
    private readonly deps: {
      resolver: OidcResolver;
      cache: OidcTokenCache;
      users: UserStore;
      audiences: readonly string[];
      clock: Clock;
      logger: Logger;
    },
  ) {}

  async authenticate(request: FastifyRequest): Promise<AuthenticatedUser | undefined> {
    const header = request.headers.authorization;
    // Calendar JWTs never get here: the JWT strategy, before this one in the pipeline, accepts them or fails the request.
    if (typeof header !== 'string' || !/^bearer /i.test(header)) return undefined;
    const token = header.slice(7).trim();
    if (token === '') throw new UnauthorizedError('Empty bearer token');
    const info = await this.lookup(token);
    if (!this.isValid(info)) throw new UnauthorizedError('OIDC token expired or for another audience');
    return { username: info.email, domain: domainOf(info.email), isAdmin: false, via: 'oidc' };
  }

  private isValid(info: TokenInfo): boolean {
    const nowSeconds = this.deps.clock.now().getTime() / 1000;
    return info.aud.some((a) => this.deps.audiences.includes(a)) && nowSeconds <= info.exp;
  }

  private async lookup(token: string): Promise<TokenInfo> {
    try {
      const cached = await this.deps.cache.get(token);
      if (cached) return cached;
    } catch (err) {
      this.deps.logger.warn({ err, token: shortHash(token) }, 'OIDC token cache read failed: asking the identity provider');
    }
    let pending = this.inFlight.get(token);
    if (!pending) {
      pending = this.resolveAndStore(token).finally(() => this.inFlight.delete(token));
      this.inFlight.set(token, pending);
    }
    return pending;
  }

  private async resolveAndStore(token: string): Promise<TokenInfo> {
    const resolved = await this.deps.resolver.resolve(token);
    if (!checkUsername(resolved.info.email, { requireDomain: true }).ok) throw new UnauthorizedError('OIDC username is not a valid email');
    // Only provision for a token that would be accepted: an expired or foreign token must not create users.
    if (this.isValid(resolved.info)) await this.provision(resolved);
    try {
      await this.deps.cache.put(token, resolved.info);
    } catch (err) {
      this.deps.logger.warn({ err, token: shortHash(token) }, 'OIDC token cache write failed');
    }
    return resolved.info;
  }

  private async provision({ info, givenName, familyName }: ResolvedToken): Promise<void> {
    const { users, logger } = this.deps;
    if (await users.retrieveByUsername(info.email)) return;
    try {
      await users.add(info.email, givenName ?? '', familyName ?? '');
      logger.info({ user: info.email }, 'OIDC user provisioned');
    } catch (e) {
      // Another request (or instance) created it between our read and our write: the user exists, which is all we need.
      if (e instanceof UserConflictError) return;
      if (e instanceof DomainNotFoundError) {
        logger.warn({ user: info.email, domain: e.domain }, 'OIDC user of an unknown domain rejected (domains are not auto-created)');
        throw new UnauthorizedError('Unknown domain', { cause: e });
      }
      throw e;
    }
  }
}

/** Enough of the token's sha512 to correlate log lines, never the token itself. */
export function shortHash(token: string): string {
  return tokenHash(token).slice(0, 16);
}
