import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { SecretLinkService } from '../calendar/secret-link-service.js';
import type { App } from '../http/server.js';
import { CalendarParams, withRestErrors } from './openpaas-schemas.js';

/** `GET /api/calendars/{home}/{cal}/calendar.ics?token=` (rest-api.md 4.16): public, the token is the credential. */
export function calendarExportRoutes(deps: { secretLinks: SecretLinkService }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.get('/api/calendars/:calendarHomeId/:calendarId/calendar.ics', {
      schema: {
        tags: ['Calendars'],
        summary: 'Download a calendar as ICS through its secret link',
        operationId: 'downloadCalendar',
        params: CalendarParams,
        querystring: Type.Object({ token: Type.Optional(Type.String()) }),
        response: withRestErrors({ 200: Type.String({ description: 'text/calendar' }) }, 400, 403, 404, 503),
      },
    }, async (request, reply) => {
      const calendar = { homeId: request.params.calendarHomeId, calendarId: request.params.calendarId };
      const ics = await deps.secretLinks.download(calendar, request.query.token);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename=calendar.ics')
        .send(ics);
    });
  };
}
