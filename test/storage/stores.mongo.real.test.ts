import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObjectId } from 'mongodb';
import { MongoDomainStore } from '../../src/storage/domain-store.mongo.js';
import { MongoUserStore } from '../../src/storage/user-store.mongo.js';
import { freshMongo } from '../support/real.js';
import { domainStoreContract } from './domain-store.contract.js';
import { userStoreContract } from './user-store.contract.js';

async function stores() {
  const { db } = await freshMongo();
  const domains = new MongoDomainStore(db);
  const users = new MongoUserStore(db, domains);
  await domains.init();
  await users.init();
  return { db, domains, users };
}

domainStoreContract('MongoDomainStore', async () => (await stores()).domains);
userStoreContract('MongoUserStore', async () => stores());

test('MongoDomainStore writes the full OpenPaaS domain form', async () => {
  const { db, domains } = await stores();
  const d = await domains.add('Example.org');
  const doc = await db.collection('domains').findOne({ _id: new ObjectId(d.id) });
  assert.ok(doc);
  assert.equal(doc.name, 'example.org');
  assert.equal(doc.company_name, 'example.org');
  assert.deepEqual(doc.hostnames, []);
  assert.deepEqual(doc.administrators, []);
  assert.deepEqual(doc.injections, []);
  assert.equal(doc.schemaVersion, 1);
  assert.ok(doc.timestamps.creation instanceof Date);
});

test('MongoDomainStore reads a domain written by OpenPaaS', async () => {
  const { db, domains } = await stores();
  const _id = new ObjectId();
  await db.collection('domains').insertOne({
    _id, __v: 4, name: 'open-paas.org', company_name: 'openpaas', hostnames: ['localhost', 'open-paas.org'], injections: [], schemaVersion: 1,
    timestamps: { creation: new Date() }, administrators: [{ user_id: new ObjectId(), timestamps: { creation: new Date() } }],
  });
  assert.deepEqual(await domains.retrieveById(_id.toHexString()), { id: _id.toHexString(), name: 'open-paas.org' });
});

test('MongoUserStore writes the full OpenPaaS user form that esn-sabre reads', async () => {
  const { db, domains, users } = await stores();
  const domain = await domains.add('linagora.com');
  const u = await users.add('JPDupont@linagora.com', 'Jean Paul', 'Dupont');
  const doc = await db.collection('users').findOne({ _id: new ObjectId(u.id) });
  assert.ok(doc);
  assert.equal(doc.email, 'jpdupont@linagora.com');
  assert.equal(doc.firstname, 'Jean Paul');
  assert.deepEqual(doc.firstnames, ['Jean', 'Paul']);
  assert.equal(doc.accounts[0].type, 'email');
  assert.deepEqual(doc.accounts[0].emails, ['jpdupont@linagora.com']);
  assert.equal(doc.accounts[0].preferredEmailIndex, 0);
  assert.equal(doc.accounts[0].hosted, false);
  assert.ok(doc.domains[0].domain_id instanceof ObjectId);
  assert.equal(doc.domains[0].domain_id.toHexString(), domain.id);
  assert.ok(doc.domains[0].joined_at instanceof Date);
  assert.ok(doc.timestamps.creation instanceof Date);
  assert.equal(doc.schemaVersion, 2);
  assert.equal(typeof doc.password, 'string');
});

test('MongoUserStore reads an OpenPaaS user without email field, honouring preferredEmailIndex, and keeps unknown fields on update', async () => {
  const { db, domains, users } = await stores();
  const domain = await domains.add('linagora.com');
  const _id = new ObjectId();
  await db.collection('users').insertOne({
    _id, firstname: 'Ann', lastname: 'Lee', job_title: 'CTO', __v: 0,
    accounts: [{ type: 'email', preferredEmailIndex: 1, emails: ['ann.lee@linagora.com', 'ann@linagora.com'] }],
    domains: [{ domain_id: new ObjectId(domain.id) }],
  });
  const u = await users.retrieveById(_id.toHexString());
  assert.equal(u?.username, 'ann@linagora.com');
  assert.equal((await users.retrieveByUsername('ann.lee@linagora.com'))?.id, _id.toHexString());
  await users.update(_id.toHexString(), 'ann@linagora.com', 'Ann', 'Lee-Smith');
  const doc = await db.collection('users').findOne({ _id });
  assert.equal(doc?.job_title, 'CTO');
  assert.equal(doc?.__v, 0);
  assert.deepEqual(doc?.accounts[0].emails, ['ann.lee@linagora.com', 'ann@linagora.com']);
  assert.equal(doc?.lastname, 'Lee-Smith');
});
