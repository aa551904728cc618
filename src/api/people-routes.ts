import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { App } from '../http/server.js';
import type { PeopleSearchService } from '../search/people-search.js';
import { withRestErrors } from './openpaas-schemas.js';

const PeopleSearchBody = Type.Object(
  {
    q: Type.Optional(Type.String()),
    objectTypes: Type.Array(Type.String()),
    // bounds are checked by the service, with the reference's messages
    limit: Type.Optional(Type.Integer()),
  },
  { additionalProperties: true },
);

const Person = Type.Object({
  id: Type.String(),
  objectType: Type.String(),
  names: Type.Array(Type.Object({ displayName: Type.String(), type: Type.String() })),
  emailAddresses: Type.Array(Type.Object({ value: Type.String(), type: Type.String() })),
  phoneNumbers: Type.Array(Type.Any()),
  photos: Type.Optional(Type.Array(Type.Object({ url: Type.String(), type: Type.String() }))),
});

/** `POST /api/people/search` (rest-api.md 4.15). */
export function peopleRoutes(deps: { auth: AuthPipeline; people: PeopleSearchService }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);
    app.post('/api/people/search', {
      schema: {
        tags: ['People'],
        summary: "Search the caller's contacts, users and resources of their domain",
        operationId: 'searchPeople',
        body: PeopleSearchBody,
        response: withRestErrors({ 200: Type.Array(Person) }, 400, 401),
      },
    }, async (request, reply) => {
      const { q, objectTypes, limit } = request.body;
      const people = await deps.people.search(authOf(request), { q: q ?? '', objectTypes, limit });
      return reply.type('application/json;charset=utf-8').send(people);
    });
  };
}
