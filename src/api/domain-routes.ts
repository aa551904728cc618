import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { App } from '../http/server.js';
import type { UserDirectory } from '../settings/user-directory.js';
import { DomainSchema, IdParams, restErrors } from './openpaas-schemas.js';

/** `GET /api/domains/{id}` (rest-api.md 4.10): the OpenPaaS domain shape, with its fixed fields. */
export function domainRoutes(deps: { auth: AuthPipeline; directory: UserDirectory }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);

    app.get('/api/domains/:id', {
      schema: {
        tags: ['Domains'],
        summary: 'A domain by OpenPaaS id (the caller’s own, or any for the admin)',
        operationId: 'getDomainById',
        params: IdParams,
        response: { 200: DomainSchema, ...restErrors(400, 401, 404) },
      },
    }, async (request, reply) => {
      const body = await deps.directory.domain(authOf(request), request.params.id);
      return reply.type('application/json;charset=utf-8').header('Cache-Control', 'max-age=60, public').send(body);
    });
  };
}
