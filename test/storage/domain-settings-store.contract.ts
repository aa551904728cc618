import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainSettingsStore } from '../../src/storage/domain-settings-store.js';
import { uniqueName } from '../support/real.js';

const domain = (): string => `${uniqueName('d')}.org`;

/** Every DomainSettingsStore implementation passes this suite (memory in the fast layer, MongoDB in the real one). */
export function domainSettingsStoreContract(name: string, make: () => Promise<DomainSettingsStore>): void {
  test(`${name}: nothing saved is {}`, async () => {
    assert.deepEqual(await (await make()).retrieve(domain()), {});
  });

  test(`${name}: save round-trips and replaces (absent fields are cleared)`, async () => {
    const store = await make();
    const d = domain();
    await store.save(d, { userSearchMode: 'limited', resourceSearchEnabled: false, defaultCalendarPublicVisibility: 'read', calendarPublicVisibilitySettingEnabled: false });
    assert.deepEqual(await store.retrieve(d), { userSearchMode: 'limited', resourceSearchEnabled: false, defaultCalendarPublicVisibility: 'read', calendarPublicVisibilitySettingEnabled: false });
    await store.save(d, { userSearchMode: 'disabled' });
    assert.deepEqual(await store.retrieve(d), { userSearchMode: 'disabled' });
  });

  test(`${name}: patch sets given fields, null clears, absent keeps; empty patch is a no-op`, async () => {
    const store = await make();
    const d = domain();
    await store.patch(d, {});
    assert.deepEqual(await store.retrieve(d), {});
    await store.patch(d, { userSearchMode: 'limited', resourceSearchEnabled: false });
    await store.patch(d, { resourceSearchEnabled: null, defaultCalendarPublicVisibility: 'read' });
    assert.deepEqual(await store.retrieve(d), { userSearchMode: 'limited', defaultCalendarPublicVisibility: 'read' });
    await store.patch(d, {});
    assert.deepEqual(await store.retrieve(d), { userSearchMode: 'limited', defaultCalendarPublicVisibility: 'read' });
  });

  test(`${name}: domain names are case-insensitive and domains independent`, async () => {
    const store = await make();
    const a = domain();
    const b = domain();
    await store.save(a.toUpperCase(), { userSearchMode: 'disabled' });
    assert.deepEqual(await store.retrieve(a), { userSearchMode: 'disabled' });
    assert.deepEqual(await store.retrieve(b), {});
  });
}
