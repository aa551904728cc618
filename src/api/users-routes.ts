import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { App } from '../http/server.js';
import type { UserDirectory } from '../settings/user-directory.js';
import { badRequestWording, IdParams, restErrors, UserSchema } from './openpaas-schemas.js';

/** `GET /api/users?email=` and `GET /api/users/{id}` (rest-api.md 4.2, 4.3): how Twake Mail resolves ids by email. */
export function usersRoutes(deps: { auth: AuthPipeline; directory: UserDirectory }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);

    app.get('/api/users', {
      // The reference's wording (sic: "avatar"), kept because clients match on it.
      schemaErrorFormatter: badRequestWording({ querystring: 'Request for avatar is missing email query parameter' }),
      schema: {
        tags: ['Users'],
        summary: 'Find a user by email: [] or [user] (creates the OpenPaaS record of a known account on first sight)',
        operationId: 'findUsersByEmail',
        querystring: Type.Object({ email: Type.String() }),
        response: { 200: Type.Array(UserSchema), ...restErrors(400, 401) },
      },
    }, async (request, reply) => {
      const body = await deps.directory.byEmail(authOf(request), request.query.email);
      return reply.type('application/json;charset=utf-8').header('Cache-Control', 'max-age=60, public').send(body);
    });

    app.get('/api/users/:id', {
      schema: {
        tags: ['Users'],
        summary: 'A user by OpenPaaS id',
        operationId: 'getUser',
        params: IdParams,
        response: { 200: UserSchema, ...restErrors(400, 401, 404) },
      },
    }, async (request, reply) => {
      const body = await deps.directory.byId(authOf(request), request.params.id);
      return reply.type('application/json;charset=utf-8').header('Cache-Control', 'max-age=60, public').send(body);
    });
  };
}
