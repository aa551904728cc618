import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { WebadminConfig } from '../config/config-types.js';
import { registerOpenApi } from '../http/openapi.js';
import { createServer, type App } from '../http/server.js';
import type { Metrics } from '../http/metrics.js';
import { webadminErrorHandler, webadminNotFoundHandler } from '../http/webadmin-errors.js';
import { createWebadminAuthenticator, isPublicRoute } from './webadmin-auth.js';

export interface WebadminServerOptions {
  config: WebadminConfig;
  confDir: string;
  logger: Logger;
  metrics: Metrics;
  /** Route plugins, each a capability's webadmin routes, registered in order. */
  routes: FastifyPluginAsync[];
}

/**
 * The James-style admin server: CORS on every response, JSON bodies parsed whatever the content type, one auth filter
 * on private routes, James error bodies, 404 (never 405) for unknown routes and verbs.
 */
export async function buildWebadminServer(options: WebadminServerOptions): Promise<App> {
  const app = createServer({ logger: options.logger.child({ server: 'webadmin' }), errorHandler: webadminErrorHandler });
  const origin = options.config.corsOrigin;
  options.metrics.instrument(app, 'webadmin');

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Access-Control-Allow-Origin', origin);
    // Sic: the reference sends a request header name on responses; clients may rely on it.
    reply.header('Access-Control-Request-Method', 'DELETE, GET, POST, PUT');
    reply.header('Access-Control-Allow-Headers', 'Content-Type, Authorization, Accept');
    reply.header('Content-Type', 'application/json');
  });

  // JSON is parsed regardless of the declared content type (James clients, and curl -d, send other ones); an empty
  // body is no body. The one form-encoded route (/add-revoked-token) adds its own parser in its scope.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = Object.assign(new Error(`Unexpected JSON: ${(e as Error).message}`), { statusCode: 400 });
      done(err, undefined);
    }
  });

  app.options('/*', async (request, reply) => {
    const reqHeaders = request.headers['access-control-request-headers'];
    const reqMethod = request.headers['access-control-request-method'];
    if (reqHeaders) reply.header('Access-Control-Allow-Headers', reqHeaders);
    if (reqMethod) reply.header('Access-Control-Allow-Methods', reqMethod);
    return reply.code(200).send('');
  });

  const authenticate = await createWebadminAuthenticator(options.config, options.confDir);
  if (authenticate) {
    app.addHook('onRequest', async (request, reply) => {
      if (isPublicRoute(request.method, request.url)) return;
      return authenticate(request, reply);
    });
  }

  app.setNotFoundHandler(webadminNotFoundHandler);
  await registerOpenApi(app, { title: 'sidecal webadmin API', description: 'Apache James style administration API of sidecal' });
  for (const plugin of options.routes) await app.register(plugin);
  return app;
}
