import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { basic, startWithUsers } from './openpaas-helpers.js';

let s: Sidecal;
before(async () => {
  s = await startWithUsers(['btellier@linagora.com'], { DAV_URL: 'https://dav.linagora.com', SPA_CALENDAR_URL: 'https://calendar.linagora.com' });
});
after(() => s.close());

/** What the calendar SPA does when it opens, in order, for a user sidecal has never seen. */
test('SPA flow "open the calendar app": user, configurations, domain, themes, then a saved setting shows up', async () => {
  const auth = { authorization: basic('btellier@linagora.com') };
  const user = await s.rest.inject({ url: '/api/user', headers: auth });
  assert.equal(user.statusCode, 200);
  const me = user.json();
  assert.equal(me.preferredEmail, 'btellier@linagora.com');
  const domainId = me.domains[0].domain_id;

  const conf = await s.rest.inject({
    method: 'POST', url: '/api/configurations', headers: auth,
    payload: [{ name: 'core', keys: ['davserver', 'language', 'datetime', 'businessHours'] }, { name: 'linagora.esn.calendar', keys: ['features', 'workingDays', 'hideDeclinedEvents'] }, { name: 'calendar', keys: ['alarmEmails'] }],
  });
  assert.equal(conf.statusCode, 200);
  const [core, cal, calendar] = conf.json();
  assert.deepEqual(core.configurations[0].value, { frontend: { url: 'https://dav.linagora.com' }, backend: { url: 'https://dav.linagora.com' } });
  assert.equal(core.configurations[1].value, 'en');
  assert.deepEqual(core.configurations[2].value, { timeZone: 'Europe/Paris', use24hourFormat: true });
  assert.deepEqual(cal.configurations, [
    { name: 'features', value: { isSharingCalendarEnabled: true } }, { name: 'workingDays', value: null }, { name: 'hideDeclinedEvents', value: null },
  ]);
  assert.deepEqual(calendar.configurations, [{ name: 'alarmEmails', value: true }]);

  const domain = await s.rest.inject({ url: `/api/domains/${domainId}`, headers: auth });
  assert.equal(domain.statusCode, 200);
  assert.equal(domain.json().name, 'linagora.com');

  const theme = await s.rest.inject({ url: `/api/themes/${domainId}`, headers: auth });
  assert.deepEqual(theme.json(), { logos: {}, colors: {} });
  const logo = await s.rest.inject({ url: `/api/themes/${domainId}/logo`, headers: auth });
  assert.equal(logo.headers.location, 'https://calendar.linagora.com/calendar/assets/images/white-logo.svg');

  // The user switches language in the settings page; the next opening sees it.
  const save = await s.rest.inject({ method: 'PATCH', url: '/api/configurations', headers: auth, payload: [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }] });
  assert.equal(save.statusCode, 204);
  const reopened = (await s.rest.inject({ url: '/api/user', headers: auth })).json();
  assert.equal(reopened._id, me._id);
  const coreModule = reopened.configurations.modules.find((m: { name: string }) => m.name === 'core');
  assert.deepEqual(coreModule.configurations.find((e: { name: string }) => e.name === 'language'), { name: 'language', value: 'fr' });
});
