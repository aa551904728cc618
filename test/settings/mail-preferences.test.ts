import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storedAlarmSettings } from '../../src/alarms/alarm-ports.js';
import type { UserDefaults } from '../../src/config/config-types.js';
import { ConfigurationService } from '../../src/settings/configuration-service.js';
import { MemoryConfigurationStore } from '../../src/storage/configuration-store.memory.js';

const defaults: UserDefaults = {
  language: 'en', timezone: 'Europe/Paris', use24hFormat: true, businessHoursStart: '8:0', businessHoursEnd: '19:0', businessDays: [1, 2, 3, 4, 5],
  calendarSharing: true, contactsSharing: true, domainContacts: false,
};
const owner = (userId: string) => ({ userId, domainId: 'd1' });

/** A store that counts reads, to check that one preference lookup is one read. */
class CountingStore extends MemoryConfigurationStore {
  reads = 0;
  override async retrieve(o: { userId: string; domainId: string }) {
    this.reads++;
    return super.retrieve(o);
  }
}

test('mail preferences: stored language, zone and alarmEmails in one read; an unknown stored zone falls back to the default', async () => {
  const store = new CountingStore();
  const settings = new ConfigurationService(store, { defaults, davUrl: 'https://dav', visioUrl: 'https://visio' });
  await store.replaceModules(owner('u1'), [
    { name: 'core', configurations: [{ name: 'language', value: 'fr' }, { name: 'datetime', value: { timeZone: 'Asia/Ho_Chi_Minh' } }] },
    { name: 'calendar', configurations: [{ name: 'alarmEmails', value: 'false' }] },
  ]);
  await store.replaceModules(owner('u2'), [{ name: 'core', configurations: [{ name: 'datetime', value: { timeZone: 'Mars/Olympus_Mons' } }] }]);
  store.reads = 0;
  assert.deepEqual(await settings.mailPreferences(owner('u1')), { language: 'fr', timezone: 'Asia/Ho_Chi_Minh', alarmEmails: false });
  assert.equal(store.reads, 1);
  assert.deepEqual(await settings.mailPreferences(owner('u2')), { language: 'en', timezone: 'Europe/Paris', alarmEmails: true });
  assert.deepEqual(await settings.mailPreferences(owner('nobody')), { language: 'en', timezone: 'Europe/Paris', alarmEmails: true });
  // What the user sees of their own setting is unchanged: only sending falls back.
  assert.equal(await settings.timezone(owner('u2')), 'Mars/Olympus_Mons');
});

test('stored alarm settings: the user\'s preferences for a known address (one read), the defaults for an unknown one', async () => {
  const store = new CountingStore();
  const settings = new ConfigurationService(store, { defaults, davUrl: 'https://dav', visioUrl: 'https://visio' });
  await store.replaceModules(owner('u1'), [
    { name: 'core', configurations: [{ name: 'language', value: 'vi' }] },
    { name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }] },
  ]);
  const users = { retrieveByUsername: async (email: string) => (email === 'alice@example.com' ? { id: 'u1', domainId: 'd1' } : undefined) };
  const alarms = storedAlarmSettings({ users, settings, defaults });
  store.reads = 0;
  assert.deepEqual(await alarms.forUser('alice@example.com'), { language: 'vi', timezone: 'Europe/Paris', alarmEmails: false });
  assert.equal(store.reads, 1);
  assert.deepEqual(await alarms.forUser('bob@example.com'), { language: 'en', timezone: 'Europe/Paris', alarmEmails: true });
});
