import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LdapConfig } from '../../src/config/config-types.js';
import { LdapCredentialsStore, LdapHealthCheck } from '../../src/ldap/ldap-credentials-store.js';
import { LdapDomainMembers } from '../../src/ldap/ldap-domain-members.js';
import { LdapPool } from '../../src/ldap/ldap-pool.js';
import { addLdapEntries } from '../harness/ldap.js';
import { uniqueName } from '../support/real.js';
import { silentLogger } from '../support/sidecal.js';
import { freshPeople, ldapConnection, type Person } from './ldap-fixtures.js';

describe('LDAP pool, credentials store and member source against a real OpenLDAP', () => {
  const conn = ldapConnection();
  const ou = uniqueName('pool');
  const domain = `${ou.replace(/_/g, '-')}.test`;
  let base = '';
  const pools: LdapPool[] = [];
  const config = (over: Partial<LdapConfig> = {}): LdapConfig => ({
    urls: [conn.url], principal: conn.adminDn, credentials: conn.adminPassword, userBase: base, userObjectClass: 'inetOrgPerson',
    userIdAttribute: 'mail', filter: undefined, connectionTimeoutMs: 2000, readTimeoutMs: 5000, poolSize: 2, trustAllCerts: false,
    administratorId: undefined, groupMemberAttribute: undefined, groupBases: [], ...over,
  });
  const pool = (c: LdapConfig) => {
    const p = new LdapPool(c);
    pools.push(p);
    return p;
  };

  before(async () => {
    const people: Person[] = Array.from({ length: 700 }, (_, i) => ({ uid: `${ou}-${i}`, mail: `m${i}@${domain}`, cn: `M ${i}`, sn: `S${i}` }));
    people.push({ uid: `${ou}-in`, mail: `in@${domain}`, cn: 'In', sn: 'Group', password: 'in-pw' });
    people.push({ uid: `${ou}-out`, mail: `out@${domain}`, cn: 'Out', sn: 'Group', password: 'out-pw', displayName: 'Out' });
    base = await freshPeople(conn, ou, people);
    await addLdapEntries(conn, [
      `dn: cn=allowed,${base}`, 'objectClass: groupOfNames', 'cn: allowed', `member: uid=${ou}-in,${base}`, '',
      `dn: cn=team\\, out,${base}`, 'objectClass: groupOfNames', 'cn: team, out', `member: uid=${ou}-out,${base}`, '',
    ].join('\n'));
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  test('paged search streams every member of the domain (more than one page)', async () => {
    const source = new LdapDomainMembers(pool(config()), config(), silentLogger);
    let count = 0;
    for await (const m of source.members(domain)) {
      assert.ok(m.mail?.endsWith(`@${domain}`));
      count++;
    }
    assert.equal(count, 702);
  });

  test('many concurrent lookups share a bounded pool and all answer', async () => {
    const store = new LdapCredentialsStore(pool(config({ poolSize: 2 })), config());
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => store.exists(`m${i}@${domain}`)));
    assert.deepEqual(answers, Array.from({ length: 25 }, () => true));
    assert.equal(await store.exists(`nobody@${domain}`), false);
  });

  test('an unreachable first URL fails over to the next one', async () => {
    const c = config({ urls: ['ldap://127.0.0.1:9', conn.url] });
    const store = new LdapCredentialsStore(pool(c), c);
    assert.equal(await store.verify(`in@${domain}`, 'in-pw'), true);
    assert.equal(await store.verify(`in@${domain}`, 'wrong'), false);
  });

  test('logins are escaped in the filter: a wildcard login matches nobody', async () => {
    const store = new LdapCredentialsStore(pool(config()), config());
    assert.equal(await store.exists(`*@${domain}`), false);
    assert.equal(await store.verify('*', 'in-pw'), false);
  });

  test('group restriction: only members of a GroupBase group may log in, exist or be listed', async () => {
    const c = config({ groupMemberAttribute: 'member', groupBases: [`cn=allowed,${base}`] });
    const store = new LdapCredentialsStore(pool(c), c);
    assert.equal(await store.verify(`in@${domain}`, 'in-pw'), true);
    assert.equal(await store.verify(`out@${domain}`, 'out-pw'), false);
    assert.equal(await store.exists(`out@${domain}`), false);
    assert.deepEqual(await store.list(), [`in@${domain}`]);
  });

  test('a GroupBase DN with an escaped comma (as the config reader gives it) is searched as written', async () => {
    const c = config({ groupMemberAttribute: 'member', groupBases: [`cn=team\\, out,${base}`] });
    const store = new LdapCredentialsStore(pool(c), c);
    assert.equal(await store.verify(`out@${domain}`, 'out-pw'), true);
    assert.equal(await store.verify(`in@${domain}`, 'in-pw'), false);
    assert.deepEqual(await store.list(), [`out@${domain}`]);
  });

  test('the extra login filter is AND-ed to login searches', async () => {
    const c = config({ filter: '(displayName=Out)' });
    const store = new LdapCredentialsStore(pool(c), c);
    assert.equal(await store.verify(`out@${domain}`, 'out-pw'), true);
    assert.equal(await store.verify(`in@${domain}`, 'in-pw'), false);
  });

  test('LDAP User Server: healthy against the server, unhealthy with a wrong service password', async () => {
    assert.equal((await new LdapHealthCheck(new LdapCredentialsStore(pool(config()), config())).check()).status, 'healthy');
    const bad = config({ credentials: 'wrong' });
    const result = await new LdapHealthCheck(new LdapCredentialsStore(pool(bad), bad)).check();
    assert.equal(result.status, 'unhealthy');
    assert.doesNotMatch(result.cause ?? '', /wrong/);
  });
});
