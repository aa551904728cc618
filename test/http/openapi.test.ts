import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderOpenApi, stableJson } from '../../src/http/openapi-docs.js';

test('docs/openapi is generated from the current route schemas and documents the main routes', async () => {
  const docs = await renderOpenApi();
  assert.equal(readFileSync('docs/openapi/rest.json', 'utf8'), stableJson(docs.rest), 'run `npm run docs` and commit docs/openapi');
  assert.equal(readFileSync('docs/openapi/webadmin.json', 'utf8'), stableJson(docs.webadmin), 'run `npm run docs` and commit docs/openapi');
  const rest = docs.rest as { openapi: string; paths: Record<string, Record<string, { operationId?: string }>> };
  const webadmin = docs.webadmin as { paths: Record<string, unknown> };
  assert.match(rest.openapi, /^3\./);
  for (const p of ['/api/user', '/api/configurations', '/api/people/search', '/api/files', '/calendar/api/events/search', '/api/jwt/generate']) assert.ok(rest.paths[p], p);
  for (const p of ['/domains/{domain}', '/users/{username}', '/registeredUsers', '/tasks/{id}/await', '/healthcheck', '/calendars']) assert.ok(webadmin.paths[p], p);
  const missingIds = Object.entries(rest.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => !op.operationId).map(([m]) => `${m} ${path}`));
  assert.deepEqual(missingIds, [], 'every REST operation has an operationId');
});
