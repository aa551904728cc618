import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newObjectIdHex } from '../../src/core/ids.js';
import type { ConfigOwner, ConfigurationStore } from '../../src/storage/configuration-store.js';

export function newOwner(domainId: string = newObjectIdHex()): ConfigOwner {
  return { userId: newObjectIdHex(), domainId };
}

/** Every ConfigurationStore implementation passes this suite (memory in the fast layer, MongoDB in the real one). */
export function configurationStoreContract(name: string, make: () => Promise<ConfigurationStore>): void {
  test(`${name}: nothing stored is empty`, async () => {
    assert.deepEqual(await (await make()).retrieve(newOwner()), []);
  });

  test(`${name}: values of every JSON kind round-trip`, async () => {
    const store = await make();
    const owner = newOwner();
    const configurations = [
      { name: 'bool', value: true },
      { name: 'null', value: null },
      { name: 'empty', value: {} },
      { name: 'string', value: 'fr' },
      { name: 'long', value: 1_700_000_000_000 },
      { name: 'object', value: { timeZone: 'Asia/Ho_Chi_Minh', use24hourFormat: false } },
      { name: 'array', value: [{ start: '8:0', end: '19:0', daysOfWeek: [1, 2, 3] }] },
    ];
    await store.replaceModules(owner, [{ name: 'core', configurations }]);
    assert.deepEqual(await store.retrieve(owner), [{ name: 'core', configurations }]);
  });

  test(`${name}: replaceModules replaces the named modules wholesale and keeps the others`, async () => {
    const store = await make();
    const owner = newOwner();
    await store.replaceModules(owner, [
      { name: 'core', configurations: [{ name: 'language', value: 'fr' }, { name: 'homePage', value: 'x' }] },
      { name: 'linagora.esn.unifiedinbox', configurations: [{ name: 'useEmailLinks', value: true }] },
    ]);
    await store.replaceModules(owner, [{ name: 'core', configurations: [{ name: 'language', value: 'vi' }] }]);
    const got = await store.retrieve(owner);
    assert.deepEqual(got.find((m) => m.name === 'core'), { name: 'core', configurations: [{ name: 'language', value: 'vi' }] });
    assert.deepEqual(got.find((m) => m.name === 'linagora.esn.unifiedinbox'), {
      name: 'linagora.esn.unifiedinbox',
      configurations: [{ name: 'useEmailLinks', value: true }],
    });
    assert.equal(got.length, 2);
  });

  test(`${name}: a module replaced by an empty one is cleared`, async () => {
    const store = await make();
    const owner = newOwner();
    await store.replaceModules(owner, [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
    await store.replaceModules(owner, [{ name: 'core', configurations: [] }]);
    assert.deepEqual(await store.retrieve(owner), []);
  });

  test(`${name}: mergeEntries sets the given keys and keeps the other keys and modules`, async () => {
    const store = await make();
    const owner = newOwner();
    await store.replaceModules(owner, [
      { name: 'core', configurations: [{ name: 'language', value: 'fr' }, { name: 'datetime', value: { timeZone: 'UTC' } }] },
      { name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }] },
    ]);
    await store.mergeEntries(owner, [
      { name: 'core', configurations: [{ name: 'language', value: 'vi' }] },
      { name: 'linagora.esn.calendar', configurations: [{ name: 'hideDeclinedEvents', value: true }] },
    ]);
    const got = await store.retrieve(owner);
    const core = got.find((m) => m.name === 'core');
    assert.deepEqual(new Map(core?.configurations.map((e) => [e.name, e.value])), new Map<string, unknown>([['datetime', { timeZone: 'UTC' }], ['language', 'vi']]));
    assert.deepEqual(got.find((m) => m.name === 'calendar')?.configurations, [{ name: 'alarmEmails', value: false }]);
    assert.deepEqual(got.find((m) => m.name === 'linagora.esn.calendar')?.configurations, [{ name: 'hideDeclinedEvents', value: true }]);
  });

  test(`${name}: an empty merge changes nothing`, async () => {
    const store = await make();
    const owner = newOwner();
    await store.replaceModules(owner, [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
    await store.mergeEntries(owner, []);
    assert.deepEqual(await store.retrieve(owner), [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
  });

  test(`${name}: a module or key named twice in one write keeps the last value`, async () => {
    const store = await make();
    const owner = newOwner();
    await store.replaceModules(owner, [
      { name: 'core', configurations: [{ name: 'language', value: 'fr' }] },
      { name: 'core', configurations: [{ name: 'language', value: 'de' }, { name: 'homePage', value: null }] },
    ]);
    assert.deepEqual(await store.retrieve(owner), [{ name: 'core', configurations: [{ name: 'language', value: 'de' }, { name: 'homePage', value: null }] }]);
  });

  test(`${name}: users are isolated, also within one domain`, async () => {
    const store = await make();
    const a = newOwner();
    const b = newOwner(a.domainId);
    await store.replaceModules(a, [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
    await store.replaceModules(b, [{ name: 'core', configurations: [{ name: 'language', value: 'vi' }] }]);
    assert.deepEqual(await store.retrieve(a), [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
    await store.delete(b);
    assert.deepEqual(await store.retrieve(b), []);
    assert.deepEqual(await store.retrieve(a), [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
    await store.delete(b);
  });
}
