import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';

let s: Sidecal;
before(async () => {
  s = await startForTest({});
});
after(async () => s.close());

test('a URL that does not decode gets each server\'s own 400 body, not Fastify\'s', async () => {
  for (const url of ['/dav/%', '/api/users/%zz']) {
    const res = await s.rest.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 400, url);
    assert.deepEqual(res.json(), { error: { code: 400, type: 'BadRequest', message: 'Bad Request', details: `'${url}' is not a valid url component` } });
  }
  const admin = await s.webadmin!.inject({ method: 'GET', url: '/domains/%' });
  assert.equal(admin.statusCode, 400);
  assert.deepEqual(admin.json(), {
    statusCode: 400, type: 'InvalidArgument', message: 'Invalid arguments supplied in the user request', details: "'/domains/%' is not a valid url component",
  });
  // A body that is not JSON is still reported as such on webadmin.
  const json = await s.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', headers: { 'content-type': 'application/json' }, payload: '{nope' });
  assert.equal(json.statusCode, 400);
  assert.equal(json.json().message, 'JSON payload of the request is not valid');
});
