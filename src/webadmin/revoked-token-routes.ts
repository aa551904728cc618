import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { LogoutTokenReader } from '../auth/logout-token.js';
import type { OidcTokenCache } from '../auth/oidc-token-cache.js';
import { BadRequestError } from '../core/errors.js';
import type { App } from '../http/server.js';
import { withErrors } from './webadmin-schemas.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * OIDC back-channel logout (spec webadmin.md 3.1): the provider posts a `logout_token`; every cached token of its `sid`
 * is evicted so the next call re-introspects. Public, like the later reference (the IdP holds no webadmin credentials).
 */
export function revokedTokenRoutes(deps: { cache: OidcTokenCache; reader: LogoutTokenReader; logger: Logger }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    // The server parses every body as JSON; this scope keeps bodies raw so the handler can answer 415 itself.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.post('/add-revoked-token', {
      schema: {
        tags: ['OIDC'],
        summary: 'Back-channel logout: evict the cached tokens of the session of a logout token',
        operationId: 'addRevokedToken',
        consumes: [FORM],
        querystring: Type.Object({ logout_token: Type.Optional(Type.String()) }),
        body: Type.Optional(Type.Unknown()),
        response: withErrors({ 200: Type.String(), 415: Type.String() }, 400),
      },
    }, async (request, reply) => {
      const contentType = request.headers['content-type'] ?? '';
      // Quirk kept from the reference: the 415 body is a bare JSON string, not the James error object.
      if (!contentType.startsWith(FORM)) return reply.code(415).send(JSON.stringify('Unsupported Content-Type'));
      const form = request.body as Record<string, string> | undefined;
      const token = form?.logout_token || request.query.logout_token;
      if (!token) throw new BadRequestError('Missing logout token');
      const sid = await deps.reader.sidOf(token);
      try {
        await deps.cache.invalidateSid(sid);
      } catch (err) {
        // Logged and swallowed (spec storage.md 4.2): entries expire with the cache TTL anyway.
        deps.logger.warn({ err }, 'OIDC token cache invalidation failed');
      }
      request.log.info('OIDC session logged out');
      return reply.code(200).send('');
    });
  };
}
