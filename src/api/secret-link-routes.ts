import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { SecretLinkService } from '../calendar/secret-link-service.js';
import type { App } from '../http/server.js';
import { CalendarParams, withRestErrors } from './openpaas-schemas.js';

/** `GET /calendar/api/calendars/{home}/{cal}/secret-link` (rest-api.md 4.16): a GET that may write, like the reference. */
export function secretLinkRoutes(deps: { auth: AuthPipeline; secretLinks: SecretLinkService }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);
    app.get('/calendar/api/calendars/:calendarHomeId/:calendarId/secret-link', {
      schema: {
        tags: ['Calendars'],
        summary: "The caller's secret download link of a calendar (created on first use, replaced when shouldResetLink=true)",
        operationId: 'getSecretLink',
        params: CalendarParams,
        querystring: Type.Object({ shouldResetLink: Type.Optional(Type.String()) }),
        response: withRestErrors({ 200: Type.Object({ secretLink: Type.String() }) }, 400, 403, 404),
      },
    }, async (request, reply) => {
      const reset = request.query.shouldResetLink?.toLowerCase() === 'true';
      const calendar = { homeId: request.params.calendarHomeId, calendarId: request.params.calendarId };
      const body = await deps.secretLinks.link(authOf(request), calendar, reset);
      return reply.type('application/json;charset=utf-8').send(body);
    });
  };
}
