import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainAlreadyExistsError } from '../../src/core/errors.js';
import type { DomainStore } from '../../src/storage/domain-store.js';

/** Every DomainStore implementation passes this suite (memory in the fast layer, MongoDB in the real one). */
export function domainStoreContract(name: string, make: () => Promise<DomainStore>): void {
  test(`${name}: empty by default`, async () => {
    assert.deepEqual(await (await make()).list(), []);
  });

  test(`${name}: add then retrieve by name and id`, async () => {
    const store = await make();
    const added = await store.add('Example.ORG');
    assert.equal(added.name, 'example.org');
    assert.match(added.id, /^[0-9a-f]{24}$/);
    assert.deepEqual(await store.retrieveByName('example.org'), added);
    assert.deepEqual(await store.retrieveByName('EXAMPLE.org'), added);
    assert.deepEqual(await store.retrieveById(added.id), added);
  });

  test(`${name}: add twice throws DomainAlreadyExistsError`, async () => {
    const store = await make();
    await store.add('example.org');
    await assert.rejects(store.add('example.org'), DomainAlreadyExistsError);
  });

  test(`${name}: unknown and malformed ids resolve to undefined`, async () => {
    const store = await make();
    assert.equal(await store.retrieveById('659387b9d486dc0046aeff21'), undefined);
    assert.equal(await store.retrieveById('not-an-id'), undefined);
    assert.equal(await store.retrieveByName('nope.org'), undefined);
  });

  test(`${name}: list is ordered by name`, async () => {
    const store = await make();
    await store.add('b.org');
    await store.add('a.org');
    assert.deepEqual((await store.list()).map((d) => d.name), ['a.org', 'b.org']);
  });

  test(`${name}: delete is idempotent and spares others`, async () => {
    const store = await make();
    await store.add('a.org');
    await store.add('b.org');
    await store.delete('a.org');
    await store.delete('a.org');
    assert.deepEqual((await store.list()).map((d) => d.name), ['b.org']);
  });
}
