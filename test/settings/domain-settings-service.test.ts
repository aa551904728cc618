import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainSettingsService } from '../../src/settings/domain-settings-service.js';
import { MemoryDomainSettingsStore } from '../../src/storage/domain-settings-store.memory.js';
import { testConfig } from '../support/sidecal.js';

test('a value saved for the domain wins over the configuration file; clearing it falls back again', async () => {
  const store = new MemoryDomainSettingsStore();
  const defaults = testConfig({ USER_SEARCH_DISABLED_DOMAINS: 'linagora.com', DEFAULT_CALENDAR_PUBLIC_VISIBILITY: 'read' }).domainSettings;
  const service = new DomainSettingsService(store, defaults);
  assert.deepEqual(await service.resolved('linagora.com'), {
    userSearchMode: 'disabled', resourceSearchEnabled: true, defaultCalendarPublicVisibility: 'read', calendarPublicVisibilitySettingEnabled: true,
  });
  await store.patch('LINAGORA.com', { userSearchMode: 'enabled', defaultCalendarPublicVisibility: 'private', calendarPublicVisibilitySettingEnabled: false });
  assert.deepEqual(await service.resolved('linagora.com'), {
    userSearchMode: 'enabled', resourceSearchEnabled: true, defaultCalendarPublicVisibility: 'private', calendarPublicVisibilitySettingEnabled: false,
  });
  assert.deepEqual(await service.resolved('other.org'), {
    userSearchMode: 'enabled', resourceSearchEnabled: true, defaultCalendarPublicVisibility: 'read', calendarPublicVisibilitySettingEnabled: true,
  });
  await store.patch('linagora.com', { userSearchMode: null });
  assert.equal((await service.resolved('linagora.com')).userSearchMode, 'disabled');
});

test('default.calendar.public.visibility outside private|read fails at start-up', () => {
  assert.throws(() => testConfig({ DEFAULT_CALENDAR_PUBLIC_VISIBILITY: 'public' }), /default\.calendar\.public\.visibility/);
});
