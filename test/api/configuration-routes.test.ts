import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { basic, startWithUsers } from './openpaas-helpers.js';

let s: Sidecal;
before(async () => {
  s = await startWithUsers(['put@linagora.com', 'patch@linagora.com', 'read@linagora.com', 'bad@linagora.com'], { DAV_URL: 'https://dav.linagora.com' });
});
after(() => s.close());

async function read(user: string, body: unknown) {
  return s.rest.inject({ method: 'POST', url: '/api/configurations', headers: { authorization: basic(user) }, payload: body as object });
}
async function write(method: 'PUT' | 'PATCH', user: string, body: unknown, url = '/api/configurations?scope=user') {
  return s.rest.inject({ method, url, headers: { authorization: basic(user), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

test('POST /api/configurations answers every requested module and key, defaults for a user with nothing stored', async () => {
  const r = await read('read@linagora.com', [
    { name: 'core', keys: ['davserver', 'language'] },
    { name: 'linagora.esn.calendar', keys: ['features'] },
  ]);
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'application/json; charset=UTF-8');
  assert.deepEqual(r.json(), [
    { name: 'core', configurations: [
      { name: 'davserver', value: { frontend: { url: 'https://dav.linagora.com' }, backend: { url: 'https://dav.linagora.com' } } },
      { name: 'language', value: 'en' }] },
    { name: 'linagora.esn.calendar', configurations: [{ name: 'features', value: { isSharingCalendarEnabled: true } }] },
  ]);
});

test('POST /api/configurations: an unknown key or module answers null', async () => {
  const r = await read('read@linagora.com', [{ name: 'core', keys: ['nope'] }, { name: 'linagora.esn.unknown', keys: ['x', 'y'] }]);
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), [
    { name: 'core', configurations: [{ name: 'nope', value: null }] },
    { name: 'linagora.esn.unknown', configurations: [{ name: 'x', value: null }, { name: 'y', value: null }] },
  ]);
});

test('POST /api/configurations: a body that is not an array of {name, keys} is a 400', async () => {
  for (const body of [{}, { name: 'core', keys: [] }, [{ keys: ['language'] }]]) {
    const r = await read('read@linagora.com', body);
    assert.equal(r.statusCode, 400, JSON.stringify(body));
    assert.equal(r.json().error.details, 'Expecting a JSON array');
  }
});

test('PUT /api/configurations?scope=user saves; stored values win, fixed settings stay fixed, other apps are answered', async () => {
  const put = await write('PUT', 'put@linagora.com', [
    { name: 'core', configurations: [
      { name: 'language', value: 'vi' },
      { name: 'datetime', value: { timeZone: 'Asia/Ho_Chi_Minh', use24hourFormat: true } },
      { name: 'homePage', value: 'unifiedinbox' },
      { name: 'davserver', value: 'http://evil' }] },
    { name: 'linagora.esn.unifiedinbox', configurations: [{ name: 'useEmailLinks', value: true }] },
  ]);
  assert.equal(put.statusCode, 204);
  assert.equal(put.body, '');
  const r = await read('put@linagora.com', [
    { name: 'core', keys: ['language', 'datetime', 'homePage', 'davserver'] },
    { name: 'linagora.esn.unifiedinbox', keys: ['useEmailLinks'] },
  ]);
  assert.deepEqual(r.json(), [
    { name: 'core', configurations: [
      { name: 'language', value: 'vi' },
      { name: 'datetime', value: { timeZone: 'Asia/Ho_Chi_Minh', use24hourFormat: true } },
      { name: 'homePage', value: null },
      { name: 'davserver', value: { frontend: { url: 'https://dav.linagora.com' }, backend: { url: 'https://dav.linagora.com' } } }] },
    { name: 'linagora.esn.unifiedinbox', configurations: [{ name: 'useEmailLinks', value: true }] },
  ]);
  // The user view follows: /api/users/{id} carries the stored time zone.
  const me = (await s.rest.inject({ url: '/api/user', headers: { authorization: basic('put@linagora.com') } })).json();
  const byId = await s.rest.inject({ url: `/api/users/${me._id}`, headers: { authorization: basic('put@linagora.com') } });
  assert.equal(byId.json().timezone, 'Asia/Ho_Chi_Minh');
});

test('PUT replaces only the modules it names: other modules are kept', async () => {
  await write('PUT', 'put@linagora.com', [{ name: 'core', configurations: [{ name: 'businessHours', value: [] }] }]);
  const r = await read('put@linagora.com', [
    { name: 'core', keys: ['language', 'businessHours'] },
    { name: 'linagora.esn.unifiedinbox', keys: ['useEmailLinks'] },
  ]);
  assert.deepEqual(r.json(), [
    // language was in the replaced core module: back to the default.
    { name: 'core', configurations: [{ name: 'language', value: 'en' }, { name: 'businessHours', value: [] }] },
    { name: 'linagora.esn.unifiedinbox', configurations: [{ name: 'useEmailLinks', value: true }] },
  ]);
});

test('PATCH merges by (module, key); scope is ignored; explicit null is a value', async () => {
  await write('PUT', 'patch@linagora.com', [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }, { name: 'businessHours', value: [] }] }]);
  const patch = await write('PATCH', 'patch@linagora.com', [
    { name: 'core', configurations: [{ name: 'language', value: 'de' }] },
    { name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }, { name: 'displayWeekNumbers', value: null }] },
  ], '/api/configurations');
  assert.equal(patch.statusCode, 204);
  const r = await read('patch@linagora.com', [{ name: 'core', keys: ['language', 'businessHours'] }, { name: 'calendar', keys: ['alarmEmails', 'displayWeekNumbers'] }]);
  assert.deepEqual(r.json(), [
    { name: 'core', configurations: [{ name: 'language', value: 'de' }, { name: 'businessHours', value: [] }] },
    { name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }, { name: 'displayWeekNumbers', value: null }] },
  ]);
});

test('PUT: scope missing or not user is a 400', async () => {
  for (const url of ['/api/configurations', '/api/configurations?scope=domain']) {
    const r = await write('PUT', 'bad@linagora.com', [{ name: 'core', configurations: [] }], url);
    assert.equal(r.statusCode, 400, url);
    assert.equal(r.json().error.code, 400);
  }
});

test('PUT and PATCH: malformed bodies are 400 "Invalid request body" and store nothing', async () => {
  const bodies = [{}, 'core', [{ configurations: [] }], [{ name: 'core' }], [{ name: 'core', configurations: [{ value: 1 }] }], [{ name: 'core', configurations: [{ name: 'language' }] }]];
  for (const method of ['PUT', 'PATCH'] as const) {
    for (const body of bodies) {
      const r = await write(method, 'bad@linagora.com', body);
      assert.equal(r.statusCode, 400, `${method} ${JSON.stringify(body)}`);
      assert.equal(r.json().error.details, 'Invalid request body');
    }
  }
  const broken = await s.rest.inject({ method: 'PUT', url: '/api/configurations?scope=user', headers: { authorization: basic('bad@linagora.com'), 'content-type': 'application/json' }, payload: '[{"name":' });
  assert.equal(broken.statusCode, 400);
  const r = await read('bad@linagora.com', [{ name: 'core', keys: ['language'] }]);
  assert.deepEqual(r.json(), [{ name: 'core', configurations: [{ name: 'language', value: 'en' }] }]);
});

test('PUT and PATCH: a value no store can keep ($ or dotted or NUL keys, absurd nesting) is a 400 and stores nothing', async () => {
  const user = 'bad@linagora.com';
  const deep = (n: number, open: string, close: string) => `${open.repeat(n)}1${close.repeat(n)}`;
  const values = [
    '{"$where":"1"}', '{"a":{"b.c":1}}', '[{"ok":1},{"$gt":1}]', '{"a\\u0000b":1}',
    deep(65, '[', ']'), deep(65, '{"a":', '}'), deep(100_000, '[', ']'), deep(100_000, '{"a":', '}'),
  ];
  for (const method of ['PUT', 'PATCH'] as const) {
    for (const value of values) {
      const r = await s.rest.inject({
        method, url: '/api/configurations?scope=user', headers: { authorization: basic(user), 'content-type': 'application/json' },
        payload: `[{"name":"core","configurations":[{"name":"language","value":"xx"},{"name":"custom","value":${value}}]}]`,
      });
      assert.equal(r.statusCode, 400, `${method} ${value.slice(0, 40)}`);
      assert.match(r.json().error.details, /^Invalid value for setting core\.custom: /);
    }
  }
  const r = await read(user, [{ name: 'core', keys: ['language', 'custom'] }]);
  assert.deepEqual(r.json(), [{ name: 'core', configurations: [{ name: 'language', value: 'en' }, { name: 'custom', value: null }] }]);
  // Only what cannot be stored is refused: a `$` inside a key, `$` and `.` in strings and 64 levels of nesting are kept.
  const fine = { a$b: { 'x-y': JSON.parse(deep(62, '[', ']')) }, s: '$x.y' };
  const ok = await write('PATCH', user, [{ name: 'core', configurations: [{ name: 'custom', value: fine }] }]);
  assert.equal(ok.statusCode, 204);
  assert.deepEqual((await read(user, [{ name: 'core', keys: ['custom'] }])).json()[0].configurations[0].value, fine);
});

test('PUT of an empty array is accepted and changes nothing (modules not named are kept)', async () => {
  await write('PUT', 'bad@linagora.com', [{ name: 'core', configurations: [{ name: 'language', value: 'it' }] }]);
  assert.equal((await write('PUT', 'bad@linagora.com', [])).statusCode, 204);
  const r = await read('bad@linagora.com', [{ name: 'core', keys: ['language'] }]);
  assert.deepEqual(r.json(), [{ name: 'core', configurations: [{ name: 'language', value: 'it' }] }]);
});

test('configurations need authentication', async () => {
  const r = await s.rest.inject({ method: 'POST', url: '/api/configurations', payload: [{ name: 'core', keys: ['language'] }] });
  assert.equal(r.statusCode, 401);
  assert.equal(r.body, '');
});
