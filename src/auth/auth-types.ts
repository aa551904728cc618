import type { FastifyRequest } from 'fastify';

/** Who a REST request acts as, set by the authentication pipeline before any authenticated route runs. */
export interface AuthenticatedUser {
  /** Lower-case email-like username. */
  username: string;
  /** Domain part of the username. */
  domain: string;
  /** The configured admin account (`admin.username`), which may read other domains' data. */
  isAdmin: boolean;
  via: 'basic' | 'admin' | 'jwt' | 'oidc' | 'lemon';
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthenticatedUser;
  }
}

/**
 * One way of authenticating (spec rest-api.md 2.1): resolves undefined when it does not apply to the request (wrong
 * scheme), a user when it succeeds, and throws (UnauthorizedError, or BadRequestError for a malformed header) when it
 * applies and fails, which aborts the pipeline.
 */
export interface AuthStrategy {
  readonly name: string;
  authenticate(request: FastifyRequest): Promise<AuthenticatedUser | undefined>;
}

/** The authenticated user of a request whose route is behind the pipeline. */
export function authOf(request: FastifyRequest): AuthenticatedUser {
  if (!request.auth) throw new Error('route is not behind the authentication pipeline');
  return request.auth;
}
