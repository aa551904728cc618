import swagger from '@fastify/swagger';
import type { App } from './server.js';

/**
 * Registers OpenAPI generation on a server (before its routes, so every route's schema is collected) and serves the
 * document at `GET /openapi.json`. `npm run docs` writes both documents to docs/openapi/; a test keeps them current.
 */
export async function registerOpenApi(app: App, info: { title: string; description: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: info.title, description: info.description, version: '0.1.0' },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
