import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import { generateUserJwt } from '../auth/jwt-strategy.js';
import type { JwtService } from '../auth/jwt-service.js';
import type { TechnicalTokenService } from '../auth/technical-token.js';
import { NotFoundError } from '../core/errors.js';
import type { App } from '../http/server.js';
import type { DomainStore } from '../storage/domain-store.js';
import { restErrors } from './openpaas-schemas.js';

const TechnicalUser = Type.Object({
  _id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  type: Type.Literal('dav'),
  user_type: Type.Literal('technical'),
  schemaVersion: Type.Literal(1),
  __v: Type.Literal(0),
  domainId: Type.String(),
  domain: Type.String({ description: 'domain name; later-only in the reference, but current esn-sabre requires it' }),
  data: Type.Object({ principal: Type.String() }),
});

/** `POST /api/jwt/generate` (spec 4.9) and `GET /api/technicalToken/introspect` (spec 4.22, called by esn-sabre). */
export function authRoutes(deps: { auth: AuthPipeline; jwt: JwtService; technicalTokens: TechnicalTokenService; domains: DomainStore }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;

    await app.register(async (scope) => {
      scope.addHook('preHandler', deps.auth.preHandler);
      scope.post('/api/jwt/generate', {
        schema: {
          tags: ['Authentication'],
          summary: 'A JWT for the authenticated user (RS256, valid jwt.key.validity)',
          operationId: 'generateJwt',
          response: { 200: Type.String({ description: 'the token, as a JSON string literal' }), ...restErrors(401) },
        },
      }, async (request, reply) => {
        const token = await generateUserJwt(deps.jwt, authOf(request).username);
        // As JSON (a quoted string literal): the SPAs JSON.parse this body.
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(token));
      });
    });

    // Outside the pipeline: esn-sabre authenticates with the technical token header only.
    app.get('/api/technicalToken/introspect', {
      schema: {
        tags: ['Authentication'],
        summary: 'Describe the technical user of an X-TECHNICAL-TOKEN (esn-sabre)',
        operationId: 'introspectTechnicalToken',
        headers: Type.Object({ 'x-technical-token': Type.Optional(Type.String()) }),
        response: { 200: TechnicalUser, ...restErrors(404) },
      },
    }, async (request, reply) => {
      const header = request.headers['x-technical-token'];
      const verified = typeof header === 'string' && header !== '' ? await deps.technicalTokens.verify(header) : undefined;
      const domain = verified && (await deps.domains.retrieveById(verified.domainId));
      if (!verified || !domain) throw new NotFoundError('Not found', { details: 'Token not found or expired' });
      return reply.type('application/json; charset=utf-8').send({
        _id: technicalUserId(domain.id),
        name: 'Sabre Dav',
        description: 'Allows to authenticate on Sabre DAV',
        type: 'dav' as const,
        user_type: 'technical' as const,
        schemaVersion: 1 as const,
        __v: 0 as const,
        domainId: domain.id,
        domain: domain.name,
        data: { principal: 'principals/technicalUser' },
      });
    });
  };
}

/** A stable UUID-shaped id per domain: esn-sabre only needs one, and a stable one keeps its caches coherent. */
function technicalUserId(domainId: string): string {
  const h = createHash('sha1').update(`technical-user:${domainId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
