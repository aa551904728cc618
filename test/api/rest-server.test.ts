import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { basic, startWithUsers } from './openpaas-helpers.js';

let s: Sidecal;
before(async () => {
  s = await startWithUsers(['ann@linagora.com']);
});
after(() => s.close());

const CORS = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'];

test('a local route answers the CORS headers first and X-Request-Id last before content-length (spec rest-api.md 1.4)', async () => {
  const r = await s.rest.inject({ url: '/api/user', headers: { authorization: basic('ann@linagora.com'), 'x-request-id': 'req-7' } });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(Object.keys(r.headers).slice(0, 8), [...CORS, 'content-type', 'cache-control', 'x-request-id', 'content-length']);
  assert.deepEqual(CORS.map((h) => r.headers[h]), ['*', 'GET, POST, DELETE, PUT, PATCH', 'Content-Type, Authorization, Accept', '86400']);
  assert.equal(r.headers['x-request-id'], 'req-7');
});

test('a refused request on a local route keeps the CORS headers and gets a generated request id', async () => {
  const r = await s.rest.inject({ url: '/api/user' });
  assert.equal(r.statusCode, 401);
  assert.equal(r.headers['access-control-allow-origin'], '*');
  assert.match(r.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
});
