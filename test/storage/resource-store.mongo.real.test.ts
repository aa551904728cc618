import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObjectId } from 'mongodb';
import { FakeClock } from '../../src/core/clock.js';
import { MongoResourceStore } from '../../src/storage/resource-store.mongo.js';
import { freshMongo } from '../support/real.js';
import { resourceStoreContract } from './resource-store.contract.js';

resourceStoreContract('MongoResourceStore', async (clock) => {
  const { db } = await freshMongo();
  const store = new MongoResourceStore(db, clock);
  await store.init();
  return store;
});

test('MongoResourceStore reads an old OpenPaaS resource and keeps unknown fields on update', async () => {
  const { db } = await freshMongo();
  const store = new MongoResourceStore(db, new FakeClock('2025-06-01T10:00:00.000Z'));
  const _id = new ObjectId();
  const domain = new ObjectId();
  // no administrators, icon, deleted or updatedAt; an extra field written by OpenPaaS
  await db.collection('resources').insertOne({ _id, creator: new ObjectId(), description: 'd', domain, name: 'Old room', type: 'resource', timestamps: { creation: new Date('2020-01-01T00:00:00Z') }, __v: 0, extra: 'kept' });
  const r = await store.findById(_id.toHexString());
  assert.equal(r?.deleted, false);
  assert.equal(r?.icon, undefined);
  assert.deepEqual(r?.administrators, []);
  assert.equal(r?.updatedAt, undefined);
  assert.equal((await store.search(domain.toHexString(), 'old', 5)).length, 1);
  await store.update(_id.toHexString(), { description: 'new' });
  const doc = await db.collection('resources').findOne({ _id });
  assert.equal(doc?.extra, 'kept');
  assert.equal(doc?.description, 'new');
});
