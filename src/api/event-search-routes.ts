import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { App } from '../http/server.js';
import type { EventSearch } from '../search/event-search.js';
import { parsePaging, parseSearchBody, searchEvents } from '../search/event-search-request.js';
import type { EventSearchScope } from '../search/event-search-scope.js';
import { withRestErrors } from './openpaas-schemas.js';

const Person = Type.Object({ email: Type.String(), cn: Type.Union([Type.String(), Type.Null()]) });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const EventData = Type.Object({
  uid: Type.String(),
  summary: Nullable(Type.String()),
  location: Nullable(Type.String()),
  description: Nullable(Type.String()),
  start: Nullable(Type.String()),
  end: Nullable(Type.String()),
  class: Nullable(Type.String()),
  allDay: Type.Boolean(),
  hasResources: Type.Boolean(),
  durationInDays: Type.Union([Type.Integer(), Type.Null()]),
  isRecurrentMaster: Type.Union([Type.Boolean(), Type.Null()]),
  attendees: Type.Array(Person),
  organizer: Type.Union([Person, Type.Null()]),
  resources: Type.Array(Person),
  'x-openpaas-videoconference': Nullable(Type.String()),
  'x-openpaas-booking-link': Nullable(Type.String()),
  userId: Type.String(),
  calendarId: Type.String(),
  dtstamp: Nullable(Type.String()),
});
const SearchReply = Type.Object({
  _links: Type.Object({ self: Type.Object({ href: Type.String() }) }),
  _total_hits: Type.Integer(),
  _embedded: Type.Object({ events: Type.Array(Type.Object({ _links: Type.Object({ self: Type.Object({ href: Type.String() }) }), data: EventData })) }),
});
// Loose on purpose: the reference's own messages (rest-api.md 4.21) come from parseSearchBody, not from the validator.
const SearchRequest = Type.Object({
  query: Type.Optional(Type.Unknown()),
  calendars: Type.Optional(Type.Unknown()),
  organizers: Type.Optional(Type.Unknown()),
  attendees: Type.Optional(Type.Unknown()),
  bookingLink: Type.Optional(Type.Unknown()),
});

/**
 * `POST /calendar/api/events/search` (rest-api.md 4.21): later scope with `calendars` (the listed calendars the caller
 * may read: own, delegated, subscribed), core scope without (the caller's own indexed events).
 */
export function eventSearchRoutes(deps: { auth: AuthPipeline; search: EventSearch; scope: EventSearchScope }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);
    app.post('/calendar/api/events/search', {
      schema: {
        tags: ['Events'],
        summary: 'Search events of the listed calendars the caller may read (own, delegated, subscribed); without calendars, of its own account. bookingLink filters on X-OPENPAAS-BOOKING-LINK',
        operationId: 'searchEvents',
        querystring: Type.Object({ limit: Type.Optional(Type.String()), offset: Type.Optional(Type.String()) }),
        body: SearchRequest,
        response: withRestErrors({ 200: SearchReply }, 400, 401, 502, 504),
      },
    }, async (request, reply) => {
      const paging = parsePaging(request.query.limit, request.query.offset);
      const search = parseSearchBody(request.body, paging);
      return reply.type('application/json').send(await searchEvents(deps, authOf(request).username, search, request.url));
    });
  };
}
