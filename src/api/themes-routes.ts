import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import type { App } from '../http/server.js';
import { Empty, restErrors } from './openpaas-schemas.js';

const THEME_CACHE = 'public, max-age=86400';
const DomainIdParams = Type.Object({ domainId: Type.String({ minLength: 1 }) });

/** Themes (rest-api.md 4.7): no per-domain theming; the SPAs get an empty theme and the stock logo for any id. */
export function themesRoutes(deps: { auth: AuthPipeline; spaCalendarUrl: string }): FastifyPluginAsync {
  const logo = `${deps.spaCalendarUrl.replace(/\/+$/, '')}/calendar/assets/images/white-logo.svg`;
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.addHook('preHandler', deps.auth.preHandler);

    app.get('/api/themes/:domainId', {
      schema: {
        tags: ['Themes'],
        summary: 'Theme of a domain (always empty)',
        operationId: 'getTheme',
        params: DomainIdParams,
        response: { 200: Type.Object({ logos: Type.Object({}), colors: Type.Object({}) }), ...restErrors(401) },
      },
    }, async (_request, reply) => reply.type('application/json').header('Cache-Control', THEME_CACHE).send({ logos: {}, colors: {} }));

    app.get('/api/themes/:domainId/logo', {
      schema: {
        tags: ['Themes'],
        summary: 'Logo of a domain: permanent redirect to the calendar SPA logo',
        operationId: 'getThemeLogo',
        params: DomainIdParams,
        response: { 301: Empty, ...restErrors(401) },
      },
    }, async (_request, reply) => reply.code(301).header('Location', logo).header('Cache-Control', THEME_CACHE).send());
  };
}
