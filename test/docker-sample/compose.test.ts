import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { configKeys } from '../../src/config/config.js';

/** Variables main.ts reads itself, outside the configuration schema. */
const PROCESS_VARIABLES = new Set(['SIDECAL_CONF_DIR', 'LOG_LEVEL']);

test('docker-sample: every sidecal environment variable of the compose file is a key sidecal reads', () => {
  const compose = parse(readFileSync('docker-sample/docker-compose.yml', 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> };
  const env = compose.services.sidecal?.environment ?? {};
  const known = new Set(configKeys().flatMap((k) => [k.env, ...k.envAliases]));
  const unknown = Object.keys(env).filter((name) => !known.has(name) && !PROCESS_VARIABLES.has(name));
  assert.deepEqual(unknown, []);
  assert.ok(Object.keys(env).length > 20);
});

test('docker-sample: the compose file wires the whole stack', () => {
  const compose = parse(readFileSync('docker-sample/docker-compose.yml', 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> };
  for (const service of ['sidecal', 'mongo', 'rabbitmq', 'opensearch', 'redis', 'sabre', 'dex', 'calendar', 'excal', 'contacts', 'mailpit']) {
    assert.ok(compose.services[service], `service ${service} is missing`);
  }
  const sidecal = compose.services.sidecal!.environment!;
  const sabre = compose.services.sabre!.environment!;
  // Both ends must agree: esn-sabre's admin login is sidecal's impersonation account, same OpenPaaS database.
  assert.equal(sidecal.DAV_ADMIN_USER, sabre.SABRE_ADMIN_LOGIN);
  assert.equal(sidecal.DAV_ADMIN_PASSWORD, sabre.SABRE_ADMIN_PASSWORD);
  assert.equal(sidecal.MONGO_DATABASE, sabre.ESN_MONGO_DBNAME);
  assert.equal(sabre.ESN_PORT, sidecal.REST_API_PORT);
});
