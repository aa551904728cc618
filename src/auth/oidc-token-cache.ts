import { createHash } from 'node:crypto';

/** What an OIDC access token resolved to at the identity provider (spec storage.md 4.1). */
export interface TokenInfo {
  /** The `oidc.claim` claim of userinfo, lower-cased. */
  email: string;
  /** Epoch seconds, from introspection. */
  exp: number;
  /** From introspection; a string `aud` becomes a one-element list. Never empty (no audience is a failed resolution). */
  aud: string[];
  /** Session id (userinfo, else introspection); without it a back-channel logout cannot evict the token. */
  sid: string | undefined;
}

/**
 * Cache of resolved OIDC tokens, only there to spare identity-provider round trips (spec storage.md 4).
 * Guarantees (test/auth/oidc-token-cache.contract.ts):
 * - `get` returns what `put` stored for the same raw token until `oidc.token.cache.expiration` after the put, then undefined;
 * - `invalidateSid(sid)` drops every token put with that sid and no other; an unknown sid is a no-op;
 * - tokens without sid are cached (they just cannot be logged out);
 * - adapters never keep or log the raw token, only `tokenHash(token)` (the Redis one) or the in-process key.
 * Adapters may throw on backend failure; callers treat a throw as a miss (spec: Redis errors fall back to live resolution).
 */
export interface OidcTokenCache {
  get(token: string): Promise<TokenInfo | undefined>;
  put(token: string, info: TokenInfo): Promise<void>;
  invalidateSid(sid: string): Promise<void>;
}

/** sha512 hex of the raw token: the only form of a token that may be stored outside the process or logged. */
export function tokenHash(token: string): string {
  return createHash('sha512').update(token, 'utf8').digest('hex');
}
