import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { ParticipationService } from '../calendar/participation-service.js';
import { classify } from '../http/errors-common.js';
import { restErrorBody } from '../http/rest-errors.js';
import type { App } from '../http/server.js';
import { RestError, withRestErrors } from './openpaas-schemas.js';

const Links = Type.Object({ yes: Type.String(), no: Type.String(), maybe: Type.String() });

/** `GET /calendar/api/calendars/event/participation?jwt=` (rest-api.md 4.17): a GET that writes to esn-sabre. */
export function participationRoutes(deps: { participation: ParticipationService }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    // This route's own error dialect (reference quirk): the 401 has a body, and unexpected failures are HTTP 400
    // carrying a code-500 body. The bodies still come from the one REST renderer.
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const c = classify(error);
      if (c.status === 401 || c.status === 404) {
        return reply.code(c.status).type('application/json; charset=UTF-8').send(restErrorBody(c.status, c.details ?? c.message));
      }
      request.log.error({ err: error }, 'participation update failed');
      return reply.code(400).type('application/json; charset=UTF-8').send(restErrorBody(500, null));
    });
    app.get('/calendar/api/calendars/event/participation', {
      schema: {
        tags: ['Calendars'],
        summary: "Answer an invitation from an email action link (writes the attendee's PARTSTAT) and return the event",
        operationId: 'answerParticipation',
        querystring: Type.Object({ jwt: Type.Optional(Type.String()) }),
        response: withRestErrors(
          // this route's own error handler sends its 401 with a body
          { 200: Type.Object({ eventJSON: Type.Unknown(), attendeeEmail: Type.String(), locale: Type.String(), links: Links }), 401: RestError },
          400,
          404,
        ),
      },
    }, async (request, reply) => {
      const result = await deps.participation.answer(request.query.jwt);
      return reply.type('application/json; charset=UTF-8').send(result);
    });
  };
}
