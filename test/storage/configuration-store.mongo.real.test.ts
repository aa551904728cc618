import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObjectId, type Db } from 'mongodb';
import { MongoConfigurationStore } from '../../src/storage/configuration-store.mongo.js';
import { freshMongo } from '../support/real.js';
import { configurationStoreContract, newOwner } from './configuration-store.contract.js';

/** A fresh database per test (freshMongo drops it when the test ends). */
async function db(): Promise<Db> {
  return (await freshMongo()).db;
}

configurationStoreContract('MongoConfigurationStore', async () => new MongoConfigurationStore(await db()));

test('MongoConfigurationStore writes the OpenPaaS esn-config form', async () => {
  const database = await db();
  const store = new MongoConfigurationStore(database);
  const owner = newOwner();
  await store.replaceModules(owner, [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
  const docs = await database.collection('configurations').find({ user_id: new ObjectId(owner.userId) }).toArray();
  assert.equal(docs.length, 1);
  const doc = docs[0];
  assert.ok(doc?.domain_id instanceof ObjectId);
  assert.equal(doc.domain_id.toHexString(), owner.domainId);
  assert.deepEqual(doc.modules, [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
});

test('MongoConfigurationStore reads a document written by OpenPaaS', async () => {
  const database = await db();
  const store = new MongoConfigurationStore(database);
  const owner = newOwner();
  await database.collection('configurations').insertOne({
    domain_id: new ObjectId(owner.domainId),
    user_id: new ObjectId(owner.userId),
    __v: 0,
    modules: [
      { name: 'core', configurations: [{ name: 'language', value: 'fr' }, { name: 'datetime', value: { timeZone: 'Europe/Paris', use24hourFormat: true } }] },
      { name: 'linagora.esn.calendar', configurations: [{ name: 'alarmEmails', value: true }] },
    ],
  });
  assert.deepEqual(await store.retrieve(owner), [
    { name: 'core', configurations: [{ name: 'language', value: 'fr' }, { name: 'datetime', value: { timeZone: 'Europe/Paris', use24hourFormat: true } }] },
    { name: 'linagora.esn.calendar', configurations: [{ name: 'alarmEmails', value: true }] },
  ]);
});

test('MongoConfigurationStore skips malformed parts and writes them back untouched', async () => {
  const database = await db();
  const store = new MongoConfigurationStore(database);
  const owner = newOwner();
  const col = database.collection('configurations');
  const malformed = [
    { configurations: [{ name: 'orphan', value: 1 }] },
    { name: 'no-configurations' },
    { name: 'mixed', configurations: [{ name: 'ok', value: 'yes' }, { name: 'no-value' }, { value: 'no-name' }] },
  ];
  await col.insertOne({ domain_id: new ObjectId(owner.domainId), user_id: new ObjectId(owner.userId), modules: malformed });
  assert.deepEqual(await store.retrieve(owner), [{ name: 'mixed', configurations: [{ name: 'ok', value: 'yes' }] }]);
  await store.replaceModules(owner, [{ name: 'core', configurations: [{ name: 'language', value: 'vi' }] }]);
  const doc = await col.findOne({ user_id: new ObjectId(owner.userId) });
  assert.deepEqual(doc?.modules, [...malformed, { name: 'core', configurations: [{ name: 'language', value: 'vi' }] }]);
});

test('MongoConfigurationStore reads empty or non-array modules as nothing stored', async () => {
  const database = await db();
  const store = new MongoConfigurationStore(database);
  const col = database.collection('configurations');
  const a = newOwner();
  const b = newOwner();
  await col.insertOne({ domain_id: new ObjectId(a.domainId), user_id: new ObjectId(a.userId), modules: [] });
  await col.insertOne({ domain_id: new ObjectId(b.domainId), user_id: new ObjectId(b.userId), modules: { name: 'core' } });
  assert.deepEqual(await store.retrieve(a), []);
  assert.deepEqual(await store.retrieve(b), []);
});

test('MongoConfigurationStore ignores domain-level documents (no user_id)', async () => {
  const database = await db();
  const store = new MongoConfigurationStore(database);
  const owner = newOwner();
  await database.collection('configurations').insertOne({
    domain_id: new ObjectId(owner.domainId),
    modules: [{ name: 'core', configurations: [{ name: 'language', value: 'de' }] }],
  });
  assert.deepEqual(await store.retrieve(owner), []);
});
