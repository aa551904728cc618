import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ObjectId, type Db } from 'mongodb';
import type { Sidecal } from '../../src/main.js';
import { freshMongo, requireEnv } from '../support/real.js';
import { basic, startWithUsers } from './openpaas-helpers.js';

/**
 * The OpenPaaS REST views over a real MongoDB, sharing the `users`, `domains` and `configurations` collections with
 * OpenPaaS and esn-sabre: what sidecal writes is in their format, and what they wrote is read.
 */
let s: Sidecal;
// Top level, not in before(): freshMongo's own after() hook must belong to the file, not to the before hook.
const db: Db = (await freshMongo()).db;
const ME = 'btellier@linagora.com';
const auth = { authorization: basic(ME) };

before(async () => {
  s = await startWithUsers([ME, 'ann@linagora.com'], {
    MONGO_URL: requireEnv('MONGO_URL'),
    MONGO_DATABASE: db.databaseName,
    DAV_URL: 'https://dav.linagora.com',
  });
});
after(() => s.close());

test('GET /api/user provisions an OpenPaaS users document with the domain ObjectId', async () => {
  const r = await s.rest.inject({ url: '/api/user', headers: auth });
  assert.equal(r.statusCode, 200);
  const me = r.json();
  const doc = await db.collection('users').findOne({ _id: new ObjectId(me._id) });
  assert.ok(doc, 'users document created');
  assert.deepEqual(doc.accounts?.[0]?.emails, [ME]);
  const domain = await db.collection('domains').findOne({ name: 'linagora.com' });
  assert.ok(domain);
  assert.equal(me.domains[0].domain_id, domain._id.toHexString());

  const again = await s.rest.inject({ url: '/api/user', headers: auth });
  assert.equal(again.json()._id, me._id);
  assert.equal(await db.collection('users').countDocuments({ 'accounts.emails': ME }), 1);
});

test('settings OpenPaaS stored are read; malformed parts are skipped; a PUT keeps other apps and those parts', async () => {
  const me = (await s.rest.inject({ url: '/api/user', headers: auth })).json();
  const owner = { domain_id: new ObjectId(me.domains[0].domain_id), user_id: new ObjectId(me._id) };
  const openPaaSModules = [
    { name: 'core', configurations: [{ name: 'language', value: 'fr' }, { name: 'datetime', value: { timeZone: 'America/New_York', use24hourFormat: false } }] },
    { name: 'linagora.esn.unifiedinbox', configurations: [{ name: 'useEmailLinks', value: true }, { name: 'broken-no-value' }] },
    { configurations: [{ name: 'module-without-name', value: 1 }] },
  ];
  await db.collection('configurations').deleteMany(owner);
  await db.collection('configurations').insertOne({ ...owner, __v: 0, modules: openPaaSModules });

  const user = (await s.rest.inject({ url: '/api/user', headers: auth })).json();
  const core = user.configurations.modules.find((m: { name: string }) => m.name === 'core');
  assert.deepEqual(core.configurations.find((e: { name: string }) => e.name === 'language').value, 'fr');
  const byId = await s.rest.inject({ url: `/api/users/${me._id}`, headers: { authorization: basic('ann@linagora.com') } });
  assert.equal(byId.json().timezone, 'America/New_York');

  const read = await s.rest.inject({
    method: 'POST', url: '/api/configurations', headers: auth,
    payload: [{ name: 'linagora.esn.unifiedinbox', keys: ['useEmailLinks', 'broken-no-value'] }],
  });
  assert.deepEqual(read.json(), [{ name: 'linagora.esn.unifiedinbox', configurations: [{ name: 'useEmailLinks', value: true }, { name: 'broken-no-value', value: null }] }]);

  const put = await s.rest.inject({
    method: 'PUT', url: '/api/configurations?scope=user', headers: auth,
    payload: [{ name: 'core', configurations: [{ name: 'language', value: 'vi' }] }],
  });
  assert.equal(put.statusCode, 204);
  const docs = await db.collection('configurations').find(owner).toArray();
  assert.equal(docs.length, 1);
  assert.deepEqual(docs[0]?.modules, [openPaaSModules[1], openPaaSModules[2], { name: 'core', configurations: [{ name: 'language', value: 'vi' }] }]);
});

test('a first configuration write creates one esn-config document for the user', async () => {
  const ann = (await s.rest.inject({ url: '/api/user', headers: { authorization: basic('ann@linagora.com') } })).json();
  const patch = await s.rest.inject({
    method: 'PATCH', url: '/api/configurations', headers: { authorization: basic('ann@linagora.com') },
    payload: [{ name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }] }],
  });
  assert.equal(patch.statusCode, 204);
  const docs = await db.collection('configurations').find({ user_id: new ObjectId(ann._id) }).toArray();
  assert.equal(docs.length, 1);
  assert.equal(docs[0]?.domain_id.toHexString(), ann.domains[0].domain_id);
  assert.deepEqual(docs[0]?.modules, [{ name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }] }]);
  const conf = await s.rest.inject({ method: 'POST', url: '/api/configurations', headers: { authorization: basic('ann@linagora.com') }, payload: [{ name: 'calendar', keys: ['alarmEmails'] }] });
  assert.deepEqual(conf.json(), [{ name: 'calendar', configurations: [{ name: 'alarmEmails', value: false }] }]);
});

test('a settings value MongoDB cannot keep ($, dotted or NUL keys) is a 400, not a driver failure, and the document is untouched', async () => {
  const ann = (await s.rest.inject({ url: '/api/user', headers: { authorization: basic('ann@linagora.com') } })).json();
  const before = await db.collection('configurations').find({ user_id: new ObjectId(ann._id) }).toArray();
  for (const value of ['{"$where":"1"}', '{"a":{"b.c":1}}', '{"a\\u0000b":1}']) {
    for (const method of ['PUT', 'PATCH'] as const) {
      const r = await s.rest.inject({
        method, url: '/api/configurations?scope=user', headers: { authorization: basic('ann@linagora.com'), 'content-type': 'application/json' },
        payload: `[{"name":"calendar","configurations":[{"name":"custom","value":${value}}]}]`,
      });
      assert.equal(r.statusCode, 400, `${method} ${value}`);
    }
  }
  assert.deepEqual(await db.collection('configurations').find({ user_id: new ObjectId(ann._id) }).toArray(), before);
});

test('users and domains by id use the ObjectIds; unknown and malformed ids are 404', async () => {
  const domain = await db.collection('domains').findOne({ name: 'linagora.com' });
  assert.ok(domain);
  const d = await s.rest.inject({ url: `/api/domains/${domain._id.toHexString()}`, headers: auth });
  assert.equal(d.statusCode, 200);
  assert.equal(d.json().name, 'linagora.com');
  for (const url of ['/api/domains/659387b9d486dc0046aeff21', '/api/domains/not-an-id', '/api/users/659387b9d486dc0046aeff21', '/api/users/not-an-id']) {
    const r = await s.rest.inject({ url, headers: auth });
    assert.equal(r.statusCode, 404, url);
  }
});

test('GET /api/domain/settings reads the domain_settings document the reference webadmin wrote', async () => {
  await db.collection('domain_settings').insertOne({ domain: 'linagora.com', userSearchMode: 'limited', defaultCalendarPublicVisibility: 'read' });
  const r = await s.rest.inject({ url: '/api/domain/settings', headers: auth });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { userSearchMode: 'limited', resourceSearchEnabled: true, defaultCalendarPublicVisibility: 'read' });
});
