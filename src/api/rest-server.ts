import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import { restErrorHandler, restNotFoundHandler } from '../http/rest-errors.js';
import { registerOpenApi } from '../http/openapi.js';
import { createServer, type App } from '../http/server.js';

export interface RestServerOptions {
  logger: Logger;
  metrics: Metrics;
  bodyLimit: number;
  /** Route plugins of each capability, registered in order. */
  routes: FastifyPluginAsync[];
  /** What answers a request no local route matched: the DAV and legacy proxies; default a 404 error body. */
  notFound?: (request: FastifyRequest, reply: FastifyReply) => unknown;
}

/** CORS headers of every local route (spec rest-api.md 1.4; sidecal adds PATCH, which the SPAs use). */
export const REST_CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, PUT, PATCH',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, Accept',
  'Access-Control-Max-Age': '86400',
} as const;

/** The end-user server: OpenPaaS REST routes, then the DAV proxy, then the legacy fallback proxy. */
export async function buildRestServer(options: RestServerOptions): Promise<App> {
  const app = createServer({ logger: options.logger.child({ server: 'rest' }), bodyLimit: options.bodyLimit, errorHandler: restErrorHandler });
  options.metrics.instrument(app, 'rest');
  // Callback style (see createServer); is404 rather than routeOptions.url, which builds an object on every read.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) reply.headers(REST_CORS_HEADERS);
    done();
  });
  app.setNotFoundHandler(options.notFound ?? restNotFoundHandler);
  await registerOpenApi(app, { title: 'sidecal REST API', description: 'OpenPaaS-compatible REST API of the calendar side service' });
  for (const plugin of options.routes) await app.register(plugin);
  return app;
}
