import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basic, startWithUsers } from './openpaas-helpers.js';

const auth = { authorization: basic('ann@linagora.com') };
const language = async (s: Awaited<ReturnType<typeof startWithUsers>>) =>
  (await s.rest.inject({ method: 'POST', url: '/api/configurations', headers: auth, payload: [{ name: 'core', keys: ['language'] }] })).json()[0]
    .configurations[0].value;

test('with twp.settings.enabled, PATCH of core.language is refused whole and nothing is stored', async () => {
  const s = await startWithUsers(['ann@linagora.com'], { TWP_SETTINGS_ENABLED: 'true' });
  try {
    const r = await s.rest.inject({
      method: 'PATCH', url: '/api/configurations', headers: auth,
      payload: [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }, { name: 'homePage', value: 'x' }] },
        { name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }] }],
    });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.details, 'Cannot modify read-only settings: core.language');
    assert.equal(await language(s), 'en');
    const alarm = await s.rest.inject({ method: 'POST', url: '/api/configurations', headers: auth, payload: [{ name: 'calendar', keys: ['alarmEmails'] }] });
    assert.equal(alarm.json()[0].configurations[0].value, true);
    // Other keys still patch; PUT does not enforce read-only settings (rest-api.md 4.8).
    const ok = await s.rest.inject({ method: 'PATCH', url: '/api/configurations', headers: auth, payload: [{ name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }] }] });
    assert.equal(ok.statusCode, 204);
    const put = await s.rest.inject({ method: 'PUT', url: '/api/configurations?scope=user', headers: auth, payload: [{ name: 'core', configurations: [{ name: 'language', value: 'vi' }] }] });
    assert.equal(put.statusCode, 204);
    assert.equal(await language(s), 'vi');
  } finally {
    await s.close();
  }
});

test('without twp.settings.enabled, PATCH of core.language is an ordinary write', async () => {
  const s = await startWithUsers(['ann@linagora.com']);
  try {
    const r = await s.rest.inject({ method: 'PATCH', url: '/api/configurations', headers: auth, payload: [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }] });
    assert.equal(r.statusCode, 204);
    assert.equal(await language(s), 'fr');
  } finally {
    await s.close();
  }
});
