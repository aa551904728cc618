import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { ResourceParticipationService } from '../calendar/resource-participation.js';
import { classify } from '../http/errors-common.js';
import { restErrorBody } from '../http/rest-errors.js';
import type { App } from '../http/server.js';
import { RestError, withRestErrors } from './openpaas-schemas.js';

/**
 * `GET /calendar/api/resources/{resourceId}/{eventPathId}/participation` (rest-api.md 4.18): the Accept/Decline link of
 * a `resource-request` email. Public: the signed `jwt` query parameter is the credential. A GET with a side effect
 * (the resource's PARTSTAT in esn-sabre), answered with a redirect to the calendar SPA.
 */
export function resourceParticipationRoutes(deps: { participation: ResourceParticipationService; spaCalendarUrl: string }): FastifyPluginAsync {
  const location = `${deps.spaCalendarUrl.replace(/\/+$/, '')}/calendar`;
  return async (fastify) => {
    const app = fastify as unknown as App;
    // Format B bodies for every status, the 401 included (the server-wide renderer sends 401s empty).
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const c = classify(error);
      if (c.status >= 500) request.log.error({ err: error }, 'resource participation update failed');
      else request.log.info({ status: c.status, reason: c.message }, 'resource participation rejected');
      const status = c.status >= 500 ? 500 : c.status;
      return reply.code(status).type('application/json; charset=UTF-8').send(restErrorBody(status, c.details ?? c.message));
    });
    app.get('/calendar/api/resources/:resourceId/:eventPathId/participation', {
      schema: {
        tags: ['Resources'],
        summary: "Accept or decline a booking of a resource from the administrator's email link, then redirect to the calendar",
        operationId: 'answerResourceParticipation',
        params: Type.Object({ resourceId: Type.String({ minLength: 1 }), eventPathId: Type.String({ minLength: 1 }) }),
        // Checked by the service, in the reference's order and with its messages.
        querystring: Type.Object({
          status: Type.Optional(Type.String({ description: 'ACCEPTED or DECLINED' })),
          referrer: Type.Optional(Type.String({ description: 'must be "email"' })),
          jwt: Type.Optional(Type.String({ description: 'RS256 token with the claims resourceId and eventId' })),
        }),
        response: withRestErrors({ 302: Type.Null({ description: 'Redirect to {spa.calendar.url}/calendar' }), 401: RestError }, 400, 403, 404, 500),
      },
    }, async (request, reply) => {
      await deps.participation.answerFromLink(request.params.resourceId, request.params.eventPathId, request.query);
      return reply.code(302).header('location', location).send();
    });
  };
}
