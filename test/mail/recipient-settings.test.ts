import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { recipientSettings } from '../../src/mail/recipient-settings.js';
import { ConfigurationService } from '../../src/settings/configuration-service.js';
import type { ConfigModule, ConfigOwner } from '../../src/storage/configuration-store.js';
import { MemoryConfigurationStore } from '../../src/storage/configuration-store.memory.js';
import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { MemoryUserStore } from '../../src/storage/user-store.memory.js';

const defaults = { language: 'en', timezone: 'Europe/Paris', use24hFormat: true, businessHoursStart: '8:0', businessHoursEnd: '19:0', businessDays: [1, 2, 3, 4, 5], calendarSharing: true, contactsSharing: true, domainContacts: false };

/** Counts the settings store reads, the cost of a lookup on MongoDB. */
class CountingStore extends MemoryConfigurationStore {
  reads = 0;
  override async retrieve(owner: ConfigOwner): Promise<ConfigModule[]> {
    this.reads++;
    return super.retrieve(owner);
  }
}

describe('recipient settings', () => {
  let users: MemoryUserStore;
  let store: CountingStore;
  let lookup: (email: string) => ReturnType<ReturnType<typeof recipientSettings>['lookup']>;

  beforeEach(async () => {
    const domains = new MemoryDomainStore();
    await domains.add('example.com');
    users = new MemoryUserStore(domains);
    store = new CountingStore();
    const settings = new ConfigurationService(store, { defaults, davUrl: 'https://dav', visioUrl: 'https://visio' });
    lookup = recipientSettings({ users, defaults, settings }).lookup;
  });

  async function save(email: string, core: { language?: unknown; datetime?: unknown }) {
    const user = (await users.retrieveByUsername(email))!;
    await store.replaceModules({ userId: user.id, domainId: user.domainId }, [{ name: 'core', configurations: Object.entries(core).map(([name, value]) => ({ name, value })) }]);
  }

  it('an unknown address is external with the defaults, without reading settings', async () => {
    assert.deepEqual(await lookup('nobody@example.com'), { internal: false, fullName: '', language: 'en', timezone: 'Europe/Paris' });
    assert.equal(store.reads, 0);
  });

  it('a user with stored language and zone gets them, from one settings read, whatever the address case', async () => {
    await users.add('bob@example.com', 'Bob', 'Durand');
    await save('bob@example.com', { language: 'fr', datetime: { timeZone: 'Asia/Ho_Chi_Minh', use24hourFormat: true } });
    store.reads = 0;
    assert.deepEqual(await lookup('Bob@Example.com'), { internal: true, fullName: 'Bob Durand', language: 'fr', timezone: 'Asia/Ho_Chi_Minh' });
    assert.equal(store.reads, 1);
  });

  it('a user with nothing stored, an empty language or a datetime without zone gets the defaults', async () => {
    await users.add('anne@example.com');
    assert.deepEqual(await lookup('anne@example.com'), { internal: true, fullName: '', language: 'en', timezone: 'Europe/Paris' });
    await save('anne@example.com', { language: '', datetime: { use24hourFormat: false } });
    const anne = await lookup('anne@example.com');
    assert.equal(anne.language, 'en');
    assert.equal(anne.timezone, 'Europe/Paris');
  });

  it('a stored zone that does not exist is the default zone, not a mail that cannot be written', async () => {
    await users.add('carl@example.com');
    await save('carl@example.com', { language: 'vi', datetime: { timeZone: 'Mars/Olympus' } });
    const carl = await lookup('carl@example.com');
    assert.equal(carl.language, 'vi');
    assert.equal(carl.timezone, 'Europe/Paris');
  });
});
