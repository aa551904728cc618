import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { BadRequestError, UnauthorizedError } from '../core/errors.js';
import { domainOf } from '../core/names.js';
import type { CredentialsStore } from '../users/credentials-store.js';
import type { AuthenticatedUser, AuthStrategy } from './auth-types.js';

/**
 * `Authorization: Basic` (spec rest-api.md 2.2): the admin account, else the credentials store (memory or LDAP bind).
 * A header that is not base64 of `user:password` is a 400, a wrong password a 401.
 */
export class BasicStrategy implements AuthStrategy {
  readonly name = 'basic';

  constructor(
    private readonly options: {
      admin: { username: string; password: string };
      credentials: CredentialsStore;
      /** `basic.auth.enabled`: when false only the admin account may use Basic. */
      usersEnabled: boolean;
    },
  ) {}

  async authenticate(request: FastifyRequest): Promise<AuthenticatedUser | undefined> {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !/^Basic /i.test(header)) return undefined;
    const { username, password } = decodeBasic(header.slice(6).trim());
    const { admin, credentials, usersEnabled } = this.options;
    if (username === admin.username.toLowerCase() && safeEqual(password, admin.password)) {
      return { username, domain: domainOf(username), isAdmin: true, via: 'admin' };
    }
    if (!usersEnabled) return undefined;
    if (await credentials.verify(username, password)) return { username, domain: domainOf(username), isAdmin: false, via: 'basic' };
    throw new UnauthorizedError('Wrong credentials');
  }
}

export function decodeBasic(encoded: string): { username: string; password: string } {
  // Standard base64 alphabet plus the url-safe one; anything else is a malformed header, not a failed login.
  if (!/^[A-Za-z0-9+/_=-]+$/.test(encoded)) throw new BadRequestError('Bad request', { details: 'Malformed Basic authorization header' });
  const text = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) throw new BadRequestError('Bad request', { details: 'Basic credentials must be user:password' });
  return { username: text.slice(0, colon).trim().toLowerCase(), password: text.slice(colon + 1) };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
