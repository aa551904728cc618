import { request } from 'undici';
import { UnauthorizedError } from '../core/errors.js';
import type { TokenInfo } from './oidc-token-cache.js';

export interface OidcEndpoints {
  userInfoUrl: string;
  introspectUrl: string;
  /** Sent verbatim as `Authorization` of the introspection call (e.g. `Basic xxx`). */
  introspectCredentials: string | undefined;
  /** Userinfo claim carrying the username (`oidc.claim`). */
  claim: string;
  timeoutMs: number;
}

/** A resolved token plus the profile names used to provision the user on first sight. */
export interface ResolvedToken {
  info: TokenInfo;
  givenName: string | undefined;
  familyName: string | undefined;
}

/**
 * Asks the identity provider about an opaque access token (spec rest-api.md 2.5): userinfo and introspection in
 * parallel. Any non-200, unparsable body, time-out or missing claim is an UnauthorizedError; `active` is not read
 * (as the reference), the audience and expiry checks happen on every request in the strategy.
 */
export class OidcResolver {
  constructor(private readonly endpoints: OidcEndpoints) {}

  async resolve(token: string): Promise<ResolvedToken> {
    const [userInfo, introspection] = await Promise.all([this.userInfo(token), this.introspect(token)]);
    const username = userInfo[this.endpoints.claim];
    if (typeof username !== 'string' || username === '') throw new UnauthorizedError(`userinfo lacks the ${this.endpoints.claim} claim`);
    const exp = introspection.exp;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new UnauthorizedError('introspection lacks exp');
    const aud = audiences(introspection.aud);
    // The reference answers 500 here; a token without audience is simply not valid for us.
    if (aud.length === 0) throw new UnauthorizedError('introspection lacks aud');
    const sid = stringClaim(userInfo.sid) ?? stringClaim(introspection.sid);
    return {
      info: { email: username.trim().toLowerCase(), exp, aud, sid },
      givenName: stringClaim(userInfo.given_name),
      familyName: stringClaim(userInfo.family_name),
    };
  }

  private userInfo(token: string): Promise<Record<string, unknown>> {
    return this.call('userinfo', this.endpoints.userInfoUrl, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
  }

  private introspect(token: string): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.endpoints.introspectCredentials) headers.authorization = this.endpoints.introspectCredentials;
    return this.call('introspection', this.endpoints.introspectUrl, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ token }).toString(),
    });
  }

  private async call(what: string, url: string, options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<Record<string, unknown>> {
    let res;
    try {
      res = await request(url, { ...options, headersTimeout: this.endpoints.timeoutMs, bodyTimeout: this.endpoints.timeoutMs });
    } catch (e) {
      throw new UnauthorizedError(`OIDC ${what} call failed`, { cause: e });
    }
    const text = await res.body.text().catch(() => '');
    if (res.statusCode !== 200) throw new UnauthorizedError(`OIDC ${what} answered ${res.statusCode}`);
    try {
      const json: unknown = JSON.parse(text);
      if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new UnauthorizedError(`OIDC ${what} answer is not a JSON object`);
  }
}

function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return aud === '' ? [] : [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string' && a !== '');
  return [];
}

function stringClaim(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
