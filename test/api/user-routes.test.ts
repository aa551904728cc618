import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { ADMIN, basic, startWithUsers } from './openpaas-helpers.js';

let s: Sidecal;
before(async () => {
  s = await startWithUsers(['btellier@linagora.com', 'ann@linagora.com', 'eve@other.org'], {
    DOMAINS: 'linagora.com,other.org',
    DAV_URL: 'https://dav.linagora.com',
    DEFAULT_BUSINESS_HOURS_DAYSOFWEEK: '1,2,3,4,5',
  });
});
after(() => s.close());

const EPOCH = '1970-01-01T00:00:00.000Z';

test('GET /api/user provisions the caller and answers the documented profile with every setting', async () => {
  const r = await s.rest.inject({ url: '/api/user', headers: { authorization: basic('btellier@linagora.com') } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'application/json;charset=utf-8');
  assert.equal(r.headers['cache-control'], 'max-age=60, public');
  const u = r.json();
  assert.match(u._id, /^[0-9a-f]{24}$/);
  assert.equal(u.id, u._id);
  assert.match(u.domains[0].domain_id, /^[0-9a-f]{24}$/);
  assert.deepEqual({ ...u, _id: 'ID', id: 'ID', domains: [{ ...u.domains[0], domain_id: 'D' }] }, {
    _id: 'ID', id: 'ID', preferredEmail: 'btellier@linagora.com', objectType: 'user', firstname: '', lastname: '',
    emails: ['btellier@linagora.com'], main_phone: '', followings: 0, following: false, followers: 0, state: [],
    domains: [{ domain_id: 'D', joined_at: EPOCH }], isPlatformAdmin: false, login: { success: EPOCH, failures: [] },
    accounts: [{ hosted: true, preferredEmailIndex: 0, type: 'email', emails: ['btellier@linagora.com'], timestamps: { creation: EPOCH } }],
    configurations: { modules: [
      { name: 'core', configurations: [
        { name: 'davserver', value: { frontend: { url: 'https://dav.linagora.com' }, backend: { url: 'https://dav.linagora.com' } } },
        { name: 'allowDomainAdminToManageUserEmails', value: null }, { name: 'homePage', value: null }, { name: 'language', value: 'en' },
        { name: 'datetime', value: { timeZone: 'Europe/Paris', use24hourFormat: true } },
        { name: 'businessHours', value: [{ start: '8:0', end: '19:0', daysOfWeek: [1, 2, 3, 4, 5] }] }] },
      { name: 'linagora.esn.calendar', configurations: [{ name: 'features', value: { isSharingCalendarEnabled: true } },
        { name: 'workingDays', value: null }, { name: 'hideDeclinedEvents', value: null }] },
      { name: 'linagora.esn.videoconference', configurations: [{ name: 'jitsiInstanceUrl', value: 'https://jitsi.linagora.com' },
        { name: 'openPaasVideoconferenceAppUrl', value: 'https://jitsi.linagora.com' }] },
      { name: 'linagora.esn.contact', configurations: [{ name: 'features', value: { isVirtualFollowingAddressbookEnabled: false,
        isVirtualUserAddressbookEnabled: false, isSharingAddressbookEnabled: true, isDomainMembersAddressbookEnabled: true } }] },
      { name: 'calendar', configurations: [{ name: 'alarmEmails', value: true }, { name: 'displayWeekNumbers', value: true }] }] },
  });
  // The record is created once: a second call answers the same id.
  const again = await s.rest.inject({ url: '/api/user', headers: { authorization: basic('btellier@linagora.com') } });
  assert.equal(again.json()._id, u._id);
});

test('GET /api/user reflects the configured defaults and feature flags', async () => {
  const t = await startWithUsers(['a@linagora.com'], {
    DEFAULT_LANGUAGE: 'fr', DEFAULT_TIMEZONE: 'Asia/Ho_Chi_Minh', CALENDAR_SHARING_ENABLED: 'false', VISIO_URL: 'https://visio.example.org',
  });
  try {
    const modules = (await t.rest.inject({ url: '/api/user', headers: { authorization: basic('a@linagora.com') } })).json().configurations.modules;
    const value = (m: string, k: string) => modules.find((x: { name: string }) => x.name === m).configurations.find((e: { name: string }) => e.name === k).value;
    assert.equal(value('core', 'language'), 'fr');
    assert.equal(value('core', 'datetime').timeZone, 'Asia/Ho_Chi_Minh');
    assert.deepEqual(value('linagora.esn.calendar', 'features'), { isSharingCalendarEnabled: false });
    assert.equal(value('linagora.esn.videoconference', 'jitsiInstanceUrl'), 'https://visio.example.org');
  } finally {
    await t.close();
  }
});

test('GET /api/user without credentials is a bare 401; with a wrong password too', async () => {
  const none = await s.rest.inject({ url: '/api/user' });
  assert.equal(none.statusCode, 401);
  assert.equal(none.body, '');
  assert.equal(none.headers['www-authenticate'], undefined);
  const wrong = await s.rest.inject({ url: '/api/user', headers: { authorization: basic('ann@linagora.com', 'nope') } });
  assert.equal(wrong.statusCode, 401);
});

test('PUT /api/user/profile is always a bare 405, even unauthenticated', async () => {
  for (const headers of [{}, { authorization: ADMIN }]) {
    const r = await s.rest.inject({ method: 'PUT', url: '/api/user/profile', headers, payload: { firstname: 'x' } });
    assert.equal(r.statusCode, 405);
    assert.equal(r.body, '');
  }
});

test('GET /api/users?email= finds, provisions known accounts, and answers [] for strangers', async () => {
  const r = await s.rest.inject({ url: '/api/users?email=ann@linagora.com', headers: { authorization: ADMIN } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['cache-control'], 'max-age=60, public');
  const [ann] = r.json();
  assert.equal(ann.preferredEmail, 'ann@linagora.com');
  assert.equal(ann.timezone, 'Europe/Paris');
  assert.deepEqual(Object.keys(ann).sort(), ['_id', 'domains', 'emails', 'firstname', 'followers', 'following', 'followings', 'lastname', 'main_phone', 'objectType', 'preferredEmail', 'state', 'timezone']);
  const byId = await s.rest.inject({ url: `/api/users/${ann._id}`, headers: { authorization: basic('ann@linagora.com') } });
  assert.equal(byId.statusCode, 200);
  assert.deepEqual(byId.json(), ann);
  const unknown = await s.rest.inject({ url: '/api/users?email=nobody@linagora.com', headers: { authorization: ADMIN } });
  assert.deepEqual(unknown.json(), []);
});

test('GET /api/users?email= errors: missing email, no domain part', async () => {
  const missing = await s.rest.inject({ url: '/api/users', headers: { authorization: ADMIN } });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().error.details, 'Request for avatar is missing email query parameter');
  const noDomain = await s.rest.inject({ url: '/api/users?email=ann', headers: { authorization: ADMIN } });
  assert.equal(noDomain.statusCode, 400);
  assert.equal(noDomain.json().error.details, "'email' query parameter must contain a domain part");
});

test('users of another domain are hidden from non-admin callers', async () => {
  const eve = (await s.rest.inject({ url: '/api/users?email=eve@other.org', headers: { authorization: ADMIN } })).json()[0];
  assert.ok(eve);
  const list = await s.rest.inject({ url: '/api/users?email=eve@other.org', headers: { authorization: basic('ann@linagora.com') } });
  assert.deepEqual(list.json(), []);
  const byId = await s.rest.inject({ url: `/api/users/${eve._id}`, headers: { authorization: basic('ann@linagora.com') } });
  assert.equal(byId.statusCode, 404);
});

test('GET /api/users/{id}: unknown and malformed ids are 404', async () => {
  for (const id of ['659387b9d486dc0046aeff21', 'not-an-id']) {
    const r = await s.rest.inject({ url: `/api/users/${id}`, headers: { authorization: ADMIN } });
    assert.equal(r.statusCode, 404);
  }
});
