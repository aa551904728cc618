import type { FastifyRequest } from 'fastify';
import { request } from 'undici';
import { UnauthorizedError } from '../core/errors.js';
import { checkUsername, domainOf } from '../core/names.js';
import type { AuthenticatedUser, AuthStrategy } from './auth-types.js';

const TIMEOUT_MS = 10_000;

/**
 * LemonLDAP cookie fallback (spec rest-api.md 2.6), only when OIDC did not apply: no bearer at all (a calendar JWT or
 * an invalid bearer has decided the request before this strategy is reached). The first `lemonldap=` cookie is
 * resolved by the portal into a local part; no provisioning, no repository check.
 */
export class LemonCookieStrategy implements AuthStrategy {
  readonly name = 'lemon';

  constructor(private readonly options: { resolutionUrl: string; domain: string; timeoutMs?: number }) {}

  async authenticate(request: FastifyRequest): Promise<AuthenticatedUser | undefined> {
    const header = request.headers.authorization;
    // A bearer that reaches this strategy is not a calendar JWT (the JWT strategy decided those) and was not taken by
    // OIDC only because OIDC is not configured: it still must not be rescued by a cookie.
    if (typeof header === 'string' && /^bearer /i.test(header)) return undefined;
    const cookie = firstLemonCookie(request.headers.cookie);
    if (!cookie) return undefined;
    const localPart = await this.resolve(cookie);
    const username = checkUsername(`${localPart}@${this.options.domain}`, { requireDomain: true });
    if (!username.ok) throw new UnauthorizedError('Lemon cookie resolved to an invalid username');
    return { username: username.value, domain: domainOf(username.value), isAdmin: false, via: 'lemon' };
  }

  private async resolve(cookie: string): Promise<string> {
    const timeout = this.options.timeoutMs ?? TIMEOUT_MS;
    try {
      const res = await request(this.options.resolutionUrl, {
        method: 'GET',
        headers: { accept: 'application/json', cookie },
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`resolution answered ${res.statusCode}`);
      const result = (JSON.parse(text) as { result?: unknown } | null)?.result;
      if (typeof result !== 'string' || result === '') throw new Error('no result in the resolution answer');
      return result;
    } catch (e) {
      throw new UnauthorizedError('Lemon cookie resolution failed', { cause: e });
    }
  }
}

function firstLemonCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const pair = part.trim();
    if (pair.startsWith('lemonldap=') && pair.length > 'lemonldap='.length) return pair;
  }
  return undefined;
}
