import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { ImportService } from '../calendar/import-service.js';
import type { App } from '../http/server.js';
import { withRestErrors } from './openpaas-schemas.js';

const ImportBody = Type.Object(
  {
    fileId: Type.Optional(Type.String({ description: 'id returned by POST /api/files' })),
    target: Type.Optional(Type.String({ description: '/calendars/{homeId}/{calendarId}.json or /addressbooks/{homeId}/{bookId}.json' })),
  },
  { additionalProperties: true },
);

/** `POST /api/import` and its legacy alias (rest-api.md 4.20): 202 at once, the PUTs run detached. */
export function importRoutes(deps: { auth: AuthPipeline; imports: ImportService }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);
    for (const [url, operationId] of [['/api/import', 'importFile'], ['/linagora.esn.dav.import/api/import', 'importFileLegacy']] as const) {
      app.post(url, {
        schema: {
          tags: ['Import'],
          summary: 'Import an uploaded ICS or vCard file into a calendar or address book',
          operationId,
          body: ImportBody,
          response: withRestErrors({ 202: Type.Null() }, 400),
        },
      }, async (request, reply) => {
        await deps.imports.start(authOf(request).username, request.body.fileId, request.body.target);
        // core answers an empty 202 (the importId body is later behaviour)
        return reply.code(202).send(undefined as never);
      });
    }
  };
}
