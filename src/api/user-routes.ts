import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { App } from '../http/server.js';
import type { UserDirectory } from '../settings/user-directory.js';
import { CurrentUserSchema, Empty, restErrors } from './openpaas-schemas.js';

/** `GET /api/user` (authenticated, provisions the caller's OpenPaaS record) and `PUT /api/user/profile` (always 405). */
export function userRoutes(deps: { auth: AuthPipeline; directory: UserDirectory }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;

    await app.register(async (scope) => {
      scope.addHook('preHandler', deps.auth.preHandler);
      (scope as unknown as App).get('/api/user', {
        schema: {
          tags: ['Users'],
          summary: 'The current user, with every known setting (creates the OpenPaaS user record on first call)',
          operationId: 'getCurrentUser',
          response: { 200: CurrentUserSchema, ...restErrors(400, 401, 404) },
        },
      }, async (request, reply) => {
        const body = await deps.directory.currentUser(authOf(request));
        return reply.type('application/json;charset=utf-8').header('Cache-Control', 'max-age=60, public').send(body);
      });
    });

    // Profiles are edited in the identity provider, never here; the SPAs expect a bare 405 (rest-api.md 4.6), unauthenticated.
    app.put('/api/user/profile', {
      schema: { tags: ['Users'], summary: 'Profile update: not supported (always 405)', operationId: 'updateProfile', response: { 405: Empty } },
    }, async (_request, reply) => reply.code(405).send());
  };
}
