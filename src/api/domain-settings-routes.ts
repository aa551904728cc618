import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import type { App } from '../http/server.js';
import type { DomainSettingsService } from '../settings/domain-settings-service.js';
import { restErrors } from './openpaas-schemas.js';

const DomainSettingsSchema = Type.Object({
  userSearchMode: Type.Union([Type.Literal('enabled'), Type.Literal('limited'), Type.Literal('disabled')]),
  resourceSearchEnabled: Type.Boolean({ description: 'advisory: people search does not read it' }),
  defaultCalendarPublicVisibility: Type.Union([Type.Literal('private'), Type.Literal('read')]),
});

/**
 * `GET /api/domain/settings` (rest-api.md 4.11): the caller's domain settings as the SPAs use them. The stored
 * `calendarPublicVisibilitySettingEnabled` is not part of this answer (the response schema drops it), like the reference.
 */
export function domainSettingsRoutes(deps: { auth: AuthPipeline; domainSettings: DomainSettingsService }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);

    app.get('/api/domain/settings', {
      schema: {
        tags: ['Domains'],
        summary: "Effective settings of the caller's domain (saved value, else configuration file, else default)",
        operationId: 'getDomainSettings',
        response: { 200: DomainSettingsSchema, ...restErrors(401) },
      },
    }, async (request, reply) => {
      const body = await deps.domainSettings.resolved(authOf(request).domain);
      return reply.type('application/json;charset=utf-8').send(body);
    });
  };
}
