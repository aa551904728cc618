import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/core/clock.js';
import { newObjectIdHex } from '../../src/core/ids.js';
import { ResourceNotFoundError, type ResourceStore } from '../../src/storage/resource-store.js';

const DOMAIN = newObjectIdHex();
const OTHER_DOMAIN = newObjectIdHex();
const CREATOR = newObjectIdHex();
const room = (name: string, domainId = DOMAIN) => ({ creator: CREATOR, domainId, name, description: `${name} description`, icon: 'laptop' });

/** ResourceDAO contract (storage.md 2.1). */
export function resourceStoreContract(name: string, make: (clock: FakeClock) => Promise<ResourceStore>): void {
  describe(`${name} (resource store contract)`, () => {
    it('finds an inserted resource by id, in findAll and findByDomain', async () => {
      const clock = new FakeClock('2025-01-01T10:00:00.000Z');
      const store = await make(clock);
      const id = await store.insert({ ...room('Meeting room A'), administrators: [{ id: CREATOR, objectType: 'user' }] });
      const r = await store.findById(id);
      assert.deepEqual(r, {
        id, name: 'Meeting room A', description: 'Meeting room A description', type: 'resource', icon: 'laptop', deleted: false,
        creator: CREATOR, domainId: DOMAIN, administrators: [{ id: CREATOR, objectType: 'user' }],
        creation: new Date('2025-01-01T10:00:00.000Z'), updatedAt: new Date('2025-01-01T10:00:00.000Z'),
      });
      assert.deepEqual((await store.findAll()).map((x) => x.id), [id]);
      assert.deepEqual((await store.findByDomain(DOMAIN)).map((x) => x.id), [id]);
      assert.deepEqual(await store.findByDomain(OTHER_DOMAIN), []);
    });

    it('is empty for unknown and malformed ids', async () => {
      const store = await make(new FakeClock());
      assert.equal(await store.findById('659387b9d486dc0046aeff21'), undefined);
      assert.equal(await store.findById('nope'), undefined);
    });

    it('searches a case-insensitive substring of the name, per domain, limited, without deleted ones', async () => {
      const store = await make(new FakeClock());
      const a = await store.insert(room('Meeting Room A'));
      const b = await store.insert(room('Big meeting room'));
      const c = await store.insert(room('meeting room (deleted)'));
      await store.insert(room('Meeting room elsewhere', OTHER_DOMAIN));
      await store.insert(room('Projector'));
      await store.softDelete(c);
      assert.deepEqual((await store.search(DOMAIN, '  MEETING ', 10)).map((r) => r.id).sort(), [a, b].sort());
      assert.equal((await store.search(DOMAIN, 'meeting', 1)).length, 1);
      assert.deepEqual(await store.search(DOMAIN, 'a.*', 10), [], 'the keyword is literal, not a pattern');
    });

    it('keeps soft-deleted resources readable by id and domain', async () => {
      const store = await make(new FakeClock());
      const id = await store.insert(room('Car'));
      await store.softDelete(id);
      assert.equal((await store.findById(id))?.deleted, true);
      assert.equal((await store.findByDomain(DOMAIN)).length, 1);
    });

    it('exist is false for another domain, an unknown id or a deleted resource', async () => {
      const store = await make(new FakeClock());
      const id = await store.insert(room('Car'));
      assert.equal(await store.exist(id, DOMAIN), true);
      assert.equal(await store.exist(id, OTHER_DOMAIN), false);
      assert.equal(await store.exist(newObjectIdHex(), DOMAIN), false);
      await store.softDelete(id);
      assert.equal(await store.exist(id, DOMAIN), false);
    });

    it('update sets the given fields and updatedAt only', async () => {
      const clock = new FakeClock('2025-01-01T10:00:00.000Z');
      const store = await make(clock);
      const id = await store.insert(room('Car'));
      clock.advance(60_000);
      await store.update(id, { name: 'Van', icon: 'truck' });
      const r = await store.findById(id);
      assert.equal(r?.name, 'Van');
      assert.equal(r?.icon, 'truck');
      assert.equal(r?.description, 'Car description');
      assert.equal(r?.creation.toISOString(), '2025-01-01T10:00:00.000Z');
      assert.equal(r?.updatedAt?.toISOString(), '2025-01-01T10:01:00.000Z');
    });

    it('update and softDelete of an unknown or deleted resource are ResourceNotFound', async () => {
      const store = await make(new FakeClock());
      const id = await store.insert(room('Car'));
      await store.softDelete(id);
      await assert.rejects(store.update(id, { name: 'x' }), ResourceNotFoundError);
      await assert.rejects(store.softDelete(id), ResourceNotFoundError);
      await assert.rejects(store.update(newObjectIdHex(), { name: 'x' }), ResourceNotFoundError);
      await assert.rejects(store.softDelete('nope'), ResourceNotFoundError);
    });
  });
}
