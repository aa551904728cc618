import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basic, startWithUsers } from './openpaas-helpers.js';

test('GET /api/domain/settings answers the defaults for a domain with nothing configured', async () => {
  const s = await startWithUsers(['ann@linagora.com']);
  try {
    const r = await s.rest.inject({ url: '/api/domain/settings', headers: { authorization: basic('ann@linagora.com') } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/json;charset=utf-8');
    // calendarPublicVisibilitySettingEnabled is a domain setting but is not emitted here (rest-api.md 4.11).
    assert.deepEqual(r.json(), { userSearchMode: 'enabled', resourceSearchEnabled: true, defaultCalendarPublicVisibility: 'private' });
  } finally {
    await s.close();
  }
});

test("GET /api/domain/settings follows the configuration file for the caller's own domain", async () => {
  const s = await startWithUsers(['ann@linagora.com', 'eve@other.org', 'bob@third.org'], {
    DOMAINS: 'linagora.com,other.org,third.org',
    USER_SEARCH_LIMITED_DOMAINS: 'linagora.com,third.org',
    USER_SEARCH_DISABLED_DOMAINS: 'other.org,third.org',
    RESOURCE_SEARCH_ENABLED: 'false',
    DEFAULT_CALENDAR_PUBLIC_VISIBILITY: 'read',
  });
  try {
    const get = async (user: string) => (await s.rest.inject({ url: '/api/domain/settings', headers: { authorization: basic(user) } })).json();
    assert.deepEqual(await get('ann@linagora.com'), { userSearchMode: 'limited', resourceSearchEnabled: false, defaultCalendarPublicVisibility: 'read' });
    assert.equal((await get('eve@other.org')).userSearchMode, 'disabled');
    // Listed as both: disabled wins.
    assert.equal((await get('bob@third.org')).userSearchMode, 'disabled');
  } finally {
    await s.close();
  }
});

test('GET /api/domain/settings needs authentication', async () => {
  const s = await startWithUsers([]);
  try {
    const r = await s.rest.inject({ url: '/api/domain/settings' });
    assert.equal(r.statusCode, 401);
    assert.equal(r.body, '');
  } finally {
    await s.close();
  }
});
