import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { after, before, describe, test } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';

describe('webadmin core routes (embedded defaults)', () => {
  let s: Sidecal;
  before(async () => {
    s = await startForTest();
  });
  after(async () => s.close());
  const wa = (opts: InjectOptions) => s.webadmin!.inject(opts);

  test('domains: create, exist, list, idempotent create, invalid name', async () => {
    assert.equal((await wa({ method: 'PUT', url: '/domains/example.org' })).statusCode, 204);
    assert.equal((await wa({ method: 'PUT', url: '/domains/example.org' })).statusCode, 204);
    assert.equal((await wa({ method: 'GET', url: '/domains/example.org' })).statusCode, 204);
    const missing = await wa({ method: 'GET', url: '/domains/missing.org' });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { statusCode: 404, type: 'InvalidArgument', message: 'The domain list does not contain: missing.org', details: null });
    assert.deepEqual((await wa({ method: 'GET', url: '/domains' })).json(), ['example.org', 'linagora.com']);
    const bad = await wa({ method: 'PUT', url: '/domains/bad_-.org' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().message, 'Invalid request for domain creation bad_-.org');
  });

  test('users: create with password, list, exists, delete idempotent, validation', async () => {
    await wa({ method: 'PUT', url: '/domains/example.org' });
    const put = await wa({ method: 'PUT', url: '/users/Bob@example.org', payload: '{"password":"pw"}' });
    assert.equal(put.statusCode, 204);
    assert.deepEqual((await wa({ method: 'GET', url: '/users' })).json(), [{ username: 'bob@example.org' }]);
    assert.equal((await wa({ method: 'HEAD', url: '/users/bob@example.org' })).statusCode, 200);
    assert.equal((await wa({ method: 'HEAD', url: '/users/nobody@example.org' })).statusCode, 404);
    const noDomain = await wa({ method: 'PUT', url: '/users/bob@nowhere.org', payload: { password: 'x' } });
    assert.equal(noDomain.statusCode, 400);
    assert.deepEqual(noDomain.json(), { statusCode: 400, type: 'InvalidArgument', message: 'Username supplied is invalid', details: 'Domain does not exist in DomainList' });
    const noAt = await wa({ method: 'PUT', url: '/users/bob', payload: { password: 'x' } });
    assert.equal(noAt.json().details, 'Given Username needs to contain a @domainpart');
    const unknownField = await wa({ method: 'PUT', url: '/users/bob@example.org', payload: { password: 'x', extra: 1 } });
    assert.equal(unknownField.statusCode, 400);
    assert.equal(unknownField.json().message, 'JSON payload of the request is not valid');
    const badJson = await wa({ method: 'PUT', url: '/users/bob@example.org', payload: '{"password":', headers: { 'content-type': 'text/plain' } });
    assert.equal(badJson.statusCode, 400);
    assert.equal((await wa({ method: 'DELETE', url: '/users/bob@example.org' })).statusCode, 204);
    assert.equal((await wa({ method: 'DELETE', url: '/users/bob@example.org' })).statusCode, 204);
    assert.deepEqual((await wa({ method: 'GET', url: '/users' })).json(), []);
  });

  test('registeredUsers: create, list, head, patch, errors', async () => {
    await wa({ method: 'PUT', url: '/domains/example.org' });
    const created = await wa({ method: 'POST', url: '/registeredUsers', payload: { email: 'Alice@example.org', firstname: 'Alice', lastname: 'A' } });
    assert.equal(created.statusCode, 201);
    assert.equal(created.body, '""');
    const list = (await wa({ method: 'GET', url: '/registeredUsers' })).json() as { email: string; id: string }[];
    const alice = list.find((u) => u.email === 'alice@example.org');
    assert.ok(alice);
    assert.match(alice.id, /^[0-9a-f]{24}$/);
    assert.equal((await wa({ method: 'HEAD', url: '/registeredUsers?email=alice@example.org' })).statusCode, 200);
    assert.equal((await wa({ method: 'HEAD', url: `/registeredUsers?id=${alice.id}` })).statusCode, 200);
    assert.equal((await wa({ method: 'HEAD', url: '/registeredUsers?email=none@example.org' })).statusCode, 404);
    assert.equal((await wa({ method: 'HEAD', url: '/registeredUsers' })).statusCode, 400);
    const dup = await wa({ method: 'POST', url: '/registeredUsers', payload: { email: 'alice@example.org', firstname: 'A', lastname: 'B' } });
    assert.deepEqual(dup.json(), { statusCode: 409, type: 'InvalidArgument', message: 'alice@example.org already exists', details: null });
    const noDomain = await wa({ method: 'POST', url: '/registeredUsers', payload: { email: 'x@nowhere.org', firstname: 'A', lastname: 'B' } });
    assert.deepEqual(noDomain.json(), { statusCode: 404, type: 'InvalidArgument', message: 'nowhere.org does not exist', details: null });
    assert.equal((await wa({ method: 'POST', url: '/registeredUsers', payload: { firstname: 'A', lastname: 'B' } })).json().message, 'Missing email');
    assert.equal((await wa({ method: 'POST', url: '/registeredUsers', payload: { email: 'y@example.org', lastname: 'B' } })).json().message, 'Missing firstname');
    assert.equal((await wa({ method: 'POST', url: '/registeredUsers', payload: { email: 'notanemail', firstname: 'A', lastname: 'B' } })).statusCode, 400);
    const patched = await wa({ method: 'PATCH', url: `/registeredUsers?id=${alice.id}`, payload: { email: 'alice2@example.org', firstname: 'Al', lastname: 'Ice' } });
    assert.equal(patched.statusCode, 204);
    const after2 = (await wa({ method: 'GET', url: '/registeredUsers' })).json() as { email: string; firstname: string; id: string }[];
    assert.deepEqual(after2.find((u) => u.id === alice.id), { email: 'alice2@example.org', firstname: 'Al', lastname: 'Ice', id: alice.id });
    assert.equal((await wa({ method: 'PATCH', url: '/registeredUsers', payload: { email: 'a@example.org', firstname: 'A', lastname: 'B' } })).json().message, "Missing 'id' query parameter");
    assert.equal((await wa({ method: 'PATCH', url: `/registeredUsers?id=${alice.id}`, payload: { email: 'a@example.org' } })).json().message, 'Missing one or more required fields: email, firstname, lastname');
    const unknown = await wa({ method: 'PATCH', url: '/registeredUsers?id=659387b9d486dc0046aeff21', payload: { email: 'a@example.org', firstname: 'A', lastname: 'B' } });
    assert.deepEqual(unknown.json(), { statusCode: 404, type: 'InvalidArgument', message: 'User with id 659387b9d486dc0046aeff21 not found', details: null });
  });

  test('healthcheck: aggregate, list, one component, unknown component', async () => {
    const all = await wa({ method: 'GET', url: '/healthcheck' });
    assert.equal(all.statusCode, 200);
    assert.equal(all.json().status, 'healthy');
    const names = (all.json().checks as { componentName: string }[]).map((c) => c.componentName);
    assert.ok(names.includes('Guice application lifecycle'));
    assert.ok(names.includes('RabbitMQ backend'));
    const one = await wa({ method: 'GET', url: '/healthcheck/checks/Guice%20application%20lifecycle' });
    assert.deepEqual(one.json(), { componentName: 'Guice application lifecycle', escapedComponentName: 'Guice%20application%20lifecycle', status: 'healthy', cause: null });
    assert.equal((await wa({ method: 'GET', url: '/healthcheck/checks/Nope' })).statusCode, 404);
    assert.equal((await wa({ method: 'GET', url: '/healthcheck?check=Nope' })).statusCode, 404);
  });

  test('metrics: Prometheus text with process and HTTP metrics, name filter', async () => {
    await wa({ method: 'GET', url: '/domains' });
    const m = await wa({ method: 'GET', url: '/metrics' });
    assert.equal(m.statusCode, 200);
    assert.match(m.headers['content-type'] as string, /^text\/plain/);
    assert.match(m.body, /process_cpu_user_seconds_total/);
    assert.match(m.body, /http_request_duration_seconds_count\{server="webadmin",method="GET",route="\/domains",status_code="200"\}/);
    const filtered = await wa({ method: 'GET', url: '/metrics?name[]=process_cpu_user_seconds_total' });
    assert.match(filtered.body, /process_cpu_user_seconds_total/);
    assert.doesNotMatch(filtered.body, /http_request_duration_seconds/);
  });

  test('unknown route and unsupported verb: 404 James body; CORS on every response; preflight', async () => {
    const r = await wa({ method: 'GET', url: '/nope' });
    assert.equal(r.statusCode, 404);
    assert.deepEqual(r.json(), { statusCode: 404, type: 'notFound', message: 'GET /nope can not be found', details: null });
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal((await wa({ method: 'POST', url: '/domains' })).statusCode, 404);
    const pre = await wa({ method: 'OPTIONS', url: '/users', headers: { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'X-Foo' } });
    assert.equal(pre.statusCode, 200);
    assert.equal(pre.headers['access-control-allow-methods'], 'PUT');
    assert.equal(pre.headers['access-control-allow-headers'], 'X-Foo');
  });

  test('calendar tasks: task= validation lists supported values', async () => {
    const r = await wa({ method: 'POST', url: '/calendars' });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().details, /^'task' query parameter is compulsory\. Supported values are \[/);
    const unknown = await wa({ method: 'POST', url: '/calendars?task=nope' });
    assert.match(unknown.json().details, /^Invalid value supplied for query parameter 'task': nope\./);
    assert.equal((await wa({ method: 'POST', url: '/addressbook/domain-members?task=sync' })).statusCode, 404, 'LDAP mode only');
  });

  test('request id: generated, or a sane caller one echoed', async () => {
    const r = await wa({ method: 'GET', url: '/domains', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(r.headers['x-request-id'], 'abc-123');
    const g = await wa({ method: 'GET', url: '/domains', headers: { 'x-request-id': 'bad id\u0001' } });
    assert.match(g.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
  });
});

describe('webadmin password authentication', () => {
  let s: Sidecal;
  before(async () => {
    s = await startForTest({ WEBADMIN_PASSWORD: 'pw1,pw2' });
  });
  after(async () => s.close());

  test('private routes need the Password header; public ones do not', async () => {
    const none = await s.webadmin!.inject({ method: 'GET', url: '/domains' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.body, 'No Password header.');
    assert.equal((await s.webadmin!.inject({ method: 'GET', url: '/domains', headers: { password: 'bad' } })).body, 'Wrong Password header.');
    assert.equal((await s.webadmin!.inject({ method: 'GET', url: '/domains', headers: { password: 'pw2' } })).statusCode, 200);
    assert.equal((await s.webadmin!.inject({ method: 'GET', url: '/healthcheck' })).statusCode, 200);
    assert.equal((await s.webadmin!.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
  });
});
