import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MongoDomainSettingsStore } from '../../src/storage/domain-settings-store.mongo.js';
import { freshMongo } from '../support/real.js';
import { domainSettingsStoreContract } from './domain-settings-store.contract.js';

const { db } = await freshMongo();
const store = new MongoDomainSettingsStore(db);
await store.init();

domainSettingsStoreContract('MongoDomainSettingsStore', async () => store);

test('MongoDomainSettingsStore reads the reference document form and ignores values outside the enums', async () => {
  await db.collection('domain_settings').insertOne({ domain: 'ref.org', userSearchMode: 'limited', resourceSearchEnabled: true, defaultCalendarPublicVisibility: 'READ' });
  assert.deepEqual(await store.retrieve('ref.org'), { userSearchMode: 'limited', resourceSearchEnabled: true });
  await store.patch('ref.org', { calendarPublicVisibilitySettingEnabled: false });
  const doc = await db.collection('domain_settings').findOne({ domain: 'ref.org' });
  assert.equal(doc?.calendarPublicVisibilitySettingEnabled, false);
  assert.equal(await db.collection('domain_settings').countDocuments({ domain: 'ref.org' }), 1);
});
