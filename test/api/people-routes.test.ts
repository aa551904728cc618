import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { peopleRoutes } from '../../src/api/people-routes.js';
import { buildRestServer } from '../../src/api/rest-server.js';
import { AuthPipeline } from '../../src/auth/auth-pipeline.js';
import { BasicStrategy } from '../../src/auth/basic-strategy.js';
import { FakeClock } from '../../src/core/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import type { App } from '../../src/http/server.js';
import { MemoryContactSearchEngine } from '../../src/search/people-contacts.memory.js';
import { PeopleSearchService } from '../../src/search/people-search.js';
import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { MemoryResourceStore } from '../../src/storage/resource-store.memory.js';
import { MemoryUserStore } from '../../src/storage/user-store.memory.js';
import { MemoryCredentialsStore } from '../../src/users/credentials-store.memory.js';
import { silentLogger } from '../support/sidecal.js';
import { basic } from './openpaas-helpers.js';

const BOB = 'bob@open-paas.ltd';

describe('POST /api/people/search (memory backends)', () => {
  let app: App;
  const ids: Record<string, string> = {};
  before(async () => {
    const clock = new FakeClock();
    const domains = new MemoryDomainStore(clock);
    const users = new MemoryUserStore(domains, clock);
    const resources = new MemoryResourceStore(clock);
    const contacts = new MemoryContactSearchEngine();
    const credentials = new MemoryCredentialsStore();
    const openpaas = await domains.add('open-paas.ltd');
    const other = await domains.add('other.org');
    ids.naruto = (await users.add('naruto@open-paas.ltd', 'naruto', 'hokage')).id;
    const creator = (await users.add(BOB)).id;
    await credentials.upsert(BOB, 'pw');
    ids.room = await resources.insert({ creator, domainId: openpaas.id, name: 'Naruto meeting room', description: '', icon: 'laptop' });
    ids.noIcon = await resources.insert({ creator, domainId: openpaas.id, name: 'naruto car', description: '' });
    const gone = await resources.insert({ creator, domainId: openpaas.id, name: 'naruto deleted', description: '', icon: 'car' });
    await resources.softDelete(gone);
    await resources.insert({ creator, domainId: other.id, name: 'naruto elsewhere', description: '', icon: 'car' });
    contacts.add({ accountId: BOB, id: 'c-naruto', email: 'Naruto@open-paas.ltd', firstname: 'naruto', surname: 'hokage' });
    contacts.add({ accountId: BOB, id: 'f0b97959-1f62-40f7-9df0-798125d62308', email: 'narumi@linagora.com', firstname: 'Narumi', surname: 'Grep' });
    contacts.add({ domain: 'other.org', id: 'c-foreign', email: 'naru@other.org', firstname: 'Naru', surname: 'Foreign' });
    const auth = new AuthPipeline([new BasicStrategy({ admin: { username: 'admin@open-paas.org', password: 'adminpw' }, credentials, usersEnabled: true })]);
    const people = new PeopleSearchService({ contacts, users, domains, resources }, { self: 'https://twcalendar.linagora.com/', spaCalendar: 'https://calendar.linagora.com' });
    app = await buildRestServer({ logger: silentLogger, metrics: new Metrics({ defaultMetrics: false }), bodyLimit: 1_000_000, routes: [peopleRoutes({ auth, people })] });
  });
  after(() => app.close());

  const search = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/api/people/search', payload: payload as object, headers: { authorization: basic(BOB) } });

  it('merges contacts (known users upgraded) then the domain\'s resources, shaped as the spec', async () => {
    const r = await search({ q: 'naru', objectTypes: ['user', 'contact', 'resource', 'team-calendar'], limit: 10 });
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.headers['content-type'] as string, /^application\/json;\s?charset=utf-8$/i);
    assert.deepEqual(r.json(), [
      { id: ids.naruto, objectType: 'user', names: [{ displayName: 'naruto hokage', type: 'default' }],
        emailAddresses: [{ value: 'naruto@open-paas.ltd', type: 'Work' }], phoneNumbers: [],
        photos: [{ url: 'https://twcalendar.linagora.com/api/avatars?email=naruto@open-paas.ltd', type: 'default' }] },
      { id: 'f0b97959-1f62-40f7-9df0-798125d62308', objectType: 'contact', names: [{ displayName: 'Narumi Grep', type: 'default' }],
        emailAddresses: [{ value: 'narumi@linagora.com', type: 'Work' }], phoneNumbers: [],
        photos: [{ url: 'https://twcalendar.linagora.com/api/avatars?email=narumi@linagora.com', type: 'default' }] },
      { id: ids.room, objectType: 'resource', names: [{ displayName: 'Naruto meeting room', type: 'default' }],
        emailAddresses: [{ value: `${ids.room}@open-paas.ltd`, type: 'default' }], phoneNumbers: [],
        photos: [{ url: 'https://calendar.linagora.com/linagora.esn.resource/images/icon/laptop.svg', type: 'default' }] },
      { id: ids.noIcon, objectType: 'resource', names: [{ displayName: 'naruto car', type: 'default' }],
        emailAddresses: [{ value: `${ids.noIcon}@open-paas.ltd`, type: 'default' }], phoneNumbers: [] },
    ]);
  });

  it('keeps contacts as contacts when users are not asked for', async () => {
    const r = await search({ q: 'naruto', objectTypes: ['contact'], limit: 10 });
    assert.deepEqual(r.json().map((p: { id: string; objectType: string }) => [p.objectType, p.id]), [['contact', 'c-naruto']]);
  });

  it('returns only resources when only resources are asked for', async () => {
    const r = await search({ q: 'naruto', objectTypes: ['resource'], limit: 10 });
    assert.deepEqual(r.json().map((p: { id: string }) => p.id), [ids.room, ids.noIcon]);
  });

  it('treats a list of only unknown types as every type, and ignores unknown fields', async () => {
    const r = await search({ q: 'naru', objectTypes: ['group', 'ldap'], limit: 10, extra: true });
    assert.equal(r.json().length, 4);
  });

  it('cuts the concatenation to limit', async () => {
    const r = await search({ q: 'naru', objectTypes: [], limit: 3 });
    assert.deepEqual(r.json().map((p: { objectType: string }) => p.objectType), ['user', 'contact', 'resource']);
  });

  it('checks limit with the reference messages', async () => {
    for (const [limit, message] of [[0, 'Limit must be greater than 0'], [undefined, 'Limit must be greater than 0'], [-1, 'Limit must be greater than 0'], [257, 'Maximum limit allowed: 256, but got: 257']] as const) {
      const r = await search({ q: 'naru', objectTypes: [], ...(limit === undefined ? {} : { limit }) });
      assert.equal(r.statusCode, 400, String(limit));
      assert.equal(r.json().error.details, message);
    }
    assert.equal((await search({ q: 'naru', objectTypes: [], limit: 256 })).statusCode, 200);
  });

  it('answers 400, not 500, when objectTypes is missing or not a list of strings', async () => {
    assert.equal((await search({ q: 'naru', limit: 5 })).statusCode, 400);
    assert.equal((await search({ q: 'naru', objectTypes: { a: 1 }, limit: 5 })).statusCode, 400);
  });

  it('needs authentication', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/people/search', payload: { q: 'a', objectTypes: [], limit: 1 } });
    assert.equal(r.statusCode, 401);
  });
});
