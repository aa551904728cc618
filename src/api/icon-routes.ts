import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../core/errors.js';
import type { App } from '../http/server.js';
import { withRestErrors } from './openpaas-schemas.js';

/**
 * `assets/icons/resources/` of the installation: two levels above this module when run from the sources
 * (`src/api/`), three when compiled (`dist/src/api/`, as in the Docker image).
 */
const ICON_DIR = ['../../', '../../../']
  .map((up) => fileURLToPath(new URL(`${up}assets/icons/resources/`, import.meta.url)))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../assets/icons/resources/', import.meta.url));
/** Names are a closed set read at start-up, so a request can never reach a path outside the folder. */
export const ICON_NAME = /^[A-Za-z0-9_-]+$/;

export class IconSet {
  // The ETag prefix changes per process, as the reference's does: a new deployment may ship new drawings.
  private readonly etagPrefix = randomUUID();
  private readonly icons = new Map<string, Buffer>();

  constructor(dir: string = ICON_DIR) {
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.svg') && ICON_NAME.test(f.slice(0, -4))) this.icons.set(f.slice(0, -4).toLowerCase(), readFileSync(dir + f));
    }
  }

  get(name: string): { svg: Buffer; etag: string } {
    const key = name.toLowerCase();
    const svg = ICON_NAME.test(name) ? this.icons.get(key) : undefined;
    if (!svg) throw new NotFoundError(`Icon not found: ${name}`);
    return { svg, etag: `"${this.etagPrefix}-${key}"` };
  }

  names(): string[] {
    return [...this.icons.keys()].sort();
  }
}

/** Resource icons, public (rest-api.md 4.23): the core path and the later one. */
export function iconRoutes(deps: { icons: IconSet }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    for (const [url, operationId] of [['/linagora.esn.resource/images/icon/:icon', 'getResourceIconLegacy'], ['/images/icon/:icon', 'getResourceIcon']] as const) {
      app.get(url, {
        schema: {
          tags: ['Resources'],
          summary: 'SVG icon of a resource (name + ".svg")',
          operationId,
          params: Type.Object({ icon: Type.String({ pattern: '^[A-Za-z0-9_-]+\\.svg$' }) }),
          response: withRestErrors({ 200: Type.Any(), 304: Type.Null() }, 400, 404),
        },
      }, async (request, reply) => {
        const { svg, etag } = deps.icons.get(request.params.icon.slice(0, -4));
        reply.headers({ 'Cache-Control': 'public, max-age=604800', 'X-Content-Type-Options': 'nosniff', ETag: etag });
        const inm = request.headers['if-none-match'];
        if (inm !== undefined && (inm.trim() === '*' || inm.includes(etag))) return reply.code(304).send(null);
        return reply.type('image/svg+xml').send(svg);
      });
    }
  };
}
