import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { App } from '../http/server.js';
import type { ConfigurationService } from '../settings/configuration-service.js';
import type { UserDirectory } from '../settings/user-directory.js';
import { badRequestWording, ConfigModulesSchema, Empty, restErrors } from './openpaas-schemas.js';

const ReadRequest = Type.Array(Type.Object({ name: Type.String({ minLength: 1 }), keys: Type.Array(Type.String()) }));
const INVALID_BODY = 'Invalid request body';

/** User settings (rest-api.md 4.8), stored in the OpenPaaS `configurations` collection. */
export function configurationRoutes(deps: { auth: AuthPipeline; directory: UserDirectory; settings: ConfigurationService }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);
    const { directory, settings } = deps;

    app.post('/api/configurations', {
      schemaErrorFormatter: badRequestWording({ body: 'Expecting a JSON array' }),
      schema: {
        tags: ['Configurations'],
        summary: 'Read settings: every requested module and key is answered (unknown key: stored value, else null)',
        operationId: 'readConfigurations',
        body: ReadRequest,
        response: { 200: ConfigModulesSchema, ...restErrors(400, 401) },
      },
    }, async (request, reply) => {
      const body = await settings.read(await directory.existingOwnerOf(authOf(request)), request.body);
      return reply.type('application/json; charset=UTF-8').send(body);
    });

    app.put('/api/configurations', {
      schemaErrorFormatter: badRequestWording({ body: INVALID_BODY, querystring: "Only 'scope=user' is supported" }),
      schema: {
        tags: ['Configurations'],
        summary: "Save the caller's settings: the modules named are replaced, other modules are kept",
        operationId: 'replaceConfigurations',
        querystring: Type.Object({ scope: Type.Literal('user') }),
        body: Type.Array(Type.Object({ name: Type.String({ minLength: 1 }), configurations: Type.Array(Type.Object({ name: Type.String({ minLength: 1 }), value: Type.Unknown() })) })),
        response: { 204: Empty, ...restErrors(400, 401, 404) },
      },
    }, async (request, reply) => {
      await settings.replace(await directory.ownerOf(authOf(request)), request.body);
      return reply.code(204).send();
    });

    app.patch('/api/configurations', {
      schemaErrorFormatter: badRequestWording({ body: INVALID_BODY }),
      schema: {
        tags: ['Configurations'],
        summary: "Update some of the caller's settings, merged by (module, key); scope is ignored",
        operationId: 'patchConfigurations',
        querystring: Type.Object({ scope: Type.Optional(Type.String()) }),
        body: ConfigModulesSchema,
        response: { 204: Empty, ...restErrors(400, 401, 404) },
      },
    }, async (request, reply) => {
      await settings.patch(await directory.ownerOf(authOf(request)), request.body);
      return reply.code(204).send();
    });
  };
}
