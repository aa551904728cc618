import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { SecretLinkService } from '../calendar/secret-link-service.js';
import type { App } from '../http/server.js';

/** The OpenPaaS error body (rest-api.md 1.3), for the response schemas of the calendar routes. */
export const RestError = Type.Object({
  error: Type.Object({ code: Type.Integer(), type: Type.String(), message: Type.String(), details: Type.Union([Type.String(), Type.Null()]) }),
});

export function withRestErrors<T extends Record<number, TSchema>>(ok: T, ...statuses: number[]): T & Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...ok };
  for (const s of statuses) out[s] = RestError;
  return out as T & Record<number, TSchema>;
}

export const CalendarParams = Type.Object({ calendarHomeId: Type.String({ minLength: 1 }), calendarId: Type.String({ minLength: 1 }) });

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
