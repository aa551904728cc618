import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { startSidecal } from '../main.js';

/**
 * The OpenAPI documents of both servers, generated from the route schemas of a service started on its memory
 * backends (no port bound). `npm run docs` writes them to docs/openapi/; a test fails when they are stale.
 */
export async function renderOpenApi(): Promise<{ rest: unknown; webadmin: unknown }> {
  const env = {
    SPA_CALENDAR_URL: 'https://calendar.example.org/',
    SPA_EXCAL_URL: 'https://excal.example.org/',
    DAV_URL: 'http://127.0.0.1:9/',
    DAV_ADMIN_USER: 'admin',
    DAV_ADMIN_PASSWORD: 'x',
    ADMIN_PASSWORD: 'x',
    MAIL_SENDER: 'no-reply@example.org',
    ALARM_EVENT_SCHEDULER_MODE: 'disabled',
  };
  const { config } = loadConfig(env, '/nonexistent-sidecal-openapi');
  const sidecal = await startSidecal(config, { logger: pino({ level: 'silent' }), listen: false });
  try {
    return { rest: sidecal.rest.swagger(), webadmin: sidecal.webadmin!.swagger() };
  } finally {
    await sidecal.close();
  }
}

export function stableJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const docs = await renderOpenApi();
  mkdirSync('docs/openapi', { recursive: true });
  writeFileSync('docs/openapi/rest.json', stableJson(docs.rest));
  writeFileSync('docs/openapi/webadmin.json', stableJson(docs.webadmin));
  process.exit(0);
}
