import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { ADMIN, basic, startWithUsers } from './openpaas-helpers.js';

let s: Sidecal;
before(async () => {
  s = await startWithUsers(['jo@linagora.com', 'eve@other.org'], { DOMAINS: 'linagora.com,other.org', SELF_URL: 'https://cal.example.org/', SPA_CALENDAR_URL: 'https://spa.example.org' });
});
after(() => s.close());

test('GET /api/avatars draws the first letter on a colour square that depends only on the email', async () => {
  const r = await s.rest.inject({ url: '/api/avatars?email=bob@linagora.com' });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'image/svg+xml');
  assert.equal(r.headers['cache-control'], 'max-age=1800, public');
  assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body));
  assert.match(r.body, /^<svg [^>]*width="48" height="48"/);
  assert.match(r.body, />B<\/text><\/svg>$/);
  const colour = /fill="(#[0-9A-F]{6})"/.exec(r.body)?.[1];
  const again = await s.rest.inject({ url: '/api/avatars?email=BOB@linagora.com' });
  assert.equal(/fill="(#[0-9A-F]{6})"/.exec(again.body)?.[1], colour);
  const colours = new Set<string | undefined>();
  for (const e of ['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org', 'e@x.org', 'f@x.org']) {
    colours.add(/fill="(#[0-9A-F]{6})"/.exec((await s.rest.inject({ url: `/api/avatars?email=${e}` })).body)?.[1]);
  }
  assert.ok(colours.size > 1, 'different emails get different colours');
});

test('GET /api/avatars escapes markup and rejects missing or empty emails', async () => {
  const lt = await s.rest.inject({ url: `/api/avatars?email=${encodeURIComponent('<script>@x.org')}` });
  assert.equal(lt.statusCode, 200);
  assert.ok(!lt.body.includes('<script'));
  const missing = await s.rest.inject({ url: '/api/avatars' });
  assert.equal(missing.statusCode, 400);
  const empty = await s.rest.inject({ url: '/api/avatars?email=' });
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().error.details, 'Empty email ');
});

test('GET /api/users/{id}/profile/avatar redirects to the avatar of the email; unknown id is 404', async () => {
  const jo = (await s.rest.inject({ url: '/api/user', headers: { authorization: basic('jo@linagora.com') } })).json();
  const r = await s.rest.inject({ url: `/api/users/${jo._id}/profile/avatar` });
  assert.equal(r.statusCode, 302);
  assert.equal(r.headers.location, 'https://cal.example.org/api/avatars?email=jo@linagora.com');
  assert.equal(r.headers['cache-control'], 'max-age=1800, public');
  const unknown = await s.rest.inject({ url: '/api/users/659387b9d486dc0046aeff21/profile/avatar' });
  assert.equal(unknown.statusCode, 404);
});

test('themes: empty theme for any id, logo redirects to the calendar SPA; authenticated', async () => {
  const theme = await s.rest.inject({ url: '/api/themes/anything', headers: { authorization: basic('jo@linagora.com') } });
  assert.equal(theme.statusCode, 200);
  assert.deepEqual(theme.json(), { logos: {}, colors: {} });
  assert.equal(theme.headers['cache-control'], 'public, max-age=86400');
  const logo = await s.rest.inject({ url: '/api/themes/anything/logo', headers: { authorization: basic('jo@linagora.com') } });
  assert.equal(logo.statusCode, 301);
  assert.equal(logo.headers.location, 'https://spa.example.org/calendar/assets/images/white-logo.svg');
  assert.equal(logo.headers['cache-control'], 'public, max-age=86400');
  assert.equal((await s.rest.inject({ url: '/api/themes/anything' })).statusCode, 401);
});

test('GET /api/domains/{id}: the OpenPaaS domain shape; other domains hidden from non-admins; unknown is 404', async () => {
  const jo = (await s.rest.inject({ url: '/api/user', headers: { authorization: basic('jo@linagora.com') } })).json();
  const id = jo.domains[0].domain_id;
  const r = await s.rest.inject({ url: `/api/domains/${id}`, headers: { authorization: basic('jo@linagora.com') } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['cache-control'], 'max-age=60, public');
  assert.deepEqual(r.json(), {
    _id: id, name: 'linagora.com', company_name: 'linagora.com', hostnames: ['linagora.com'], schemaVersion: 1,
    timestamps: { creation: '1970-01-01T00:00:00.000Z' }, administrators: [], injections: [], __v: 0,
  });
  const eve = (await s.rest.inject({ url: '/api/user', headers: { authorization: basic('eve@other.org') } })).json();
  const other = eve.domains[0].domain_id;
  assert.equal((await s.rest.inject({ url: `/api/domains/${other}`, headers: { authorization: basic('jo@linagora.com') } })).statusCode, 404);
  assert.equal((await s.rest.inject({ url: `/api/domains/${other}`, headers: { authorization: ADMIN } })).json().name, 'other.org');
  assert.equal((await s.rest.inject({ url: '/api/domains/659387b9d486dc0046aeff21', headers: { authorization: ADMIN } })).statusCode, 404);
});
