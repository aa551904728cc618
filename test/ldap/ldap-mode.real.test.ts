import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import { loadConfig } from '../../src/config/config.js';
import { mailUuid } from '../../src/contacts/domain-member.js';
import { startSidecal, type Sidecal } from '../../src/main.js';
import { addLdapEntries } from '../harness/ldap.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';
import { uniqueName } from '../support/real.js';
import { BASE_ENV, silentLogger } from '../support/sidecal.js';
import { freshPeople, ldapConfDir, ldapConnection, type Person } from './ldap-fixtures.js';

const SECRET = 'ldap-test-technical-secret';
const MEMBERS = 300;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64url')}`;

describe('LDAP mode against a real OpenLDAP: domain-members sync to esn-sabre, Basic login by bind', () => {
  const conn = ldapConnection();
  const ou = uniqueName('people');
  const domain = `${ou.replace(/_/g, '-')}.test`;
  const sabre = new SabreEmulator('admin', 'secret', new TechnicalTokenService(SECRET, 3600_000));
  let s: Sidecal;
  let base = '';
  const person = (i: number): Person => ({
    uid: `${ou}-u${i}`, mail: `user${i}@${domain}`, cn: `User ${i}`, sn: `Family${i}`, givenName: `Given${i}`, displayName: `User ${i}`, phone: `+33 1 00 00 ${String(i).padStart(4, '0')}`,
  });
  const wa = async (method: 'GET' | 'POST' | 'PUT', url: string) => s.webadmin!.inject({ method, url, ...(method === 'PUT' ? { payload: { password: 'x' } } : {}) });
  const runTask = async (url: string) => {
    const created = await wa('POST', url);
    assert.equal(created.statusCode, 201, created.body);
    const done = await wa('GET', `/tasks/${created.json().taskId}/await?timeout=60s`);
    assert.equal(done.statusCode, 200, done.body);
    return done.json();
  };
  const book = () => {
    const keys = [...sabre.books].filter((b) => b.endsWith('/domain-members'));
    assert.equal(keys.length, 1, `one domain-members book expected, got ${keys.join(', ')}`);
    const prefix = `addressbooks/${keys[0]}/`;
    return new Map([...sabre.contacts].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v.vcard]));
  };

  before(async () => {
    await sabre.start();
    const people = Array.from({ length: MEMBERS }, (_, i) => person(i));
    people.push({ uid: `${ou}-alice`, mail: `alice@${domain}`, cn: 'Alice Martin', sn: 'Martin', givenName: 'Alice', displayName: 'Alice Martin', phone: '+33 1 23 45 67 89', password: 'alice-secret' });
    people.push({ uid: `${ou}-other`, mail: `other@elsewhere-${domain}`, cn: 'Other', sn: 'Person' });
    base = await freshPeople(conn, ou, people);
    const env = { ...BASE_ENV, DOMAINS: domain, DAV_URL: sabre.url, JWT_TECHNICAL_TOKEN_SECRET: SECRET };
    s = await startSidecal(loadConfig(env, ldapConfDir(conn, base)).config, { logger: silentLogger, listen: false });
  });
  after(async () => {
    await s?.close();
    await sabre.stop();
  });

  test('first sync adds every member of the domain, cards as the spec writes them', async () => {
    const result = await runTask(`/addressbook/domain-members/${domain}?task=sync`);
    assert.equal(result.status, 'completed');
    assert.equal(result.type, 'sync-domain-members-contacts-ldap-to-dav');
    const info = result.additionalInformation;
    assert.equal(info.domain, domain);
    assert.deepEqual(
      { ...info, timestamp: undefined },
      { type: 'sync-domain-members-contacts-ldap-to-dav', domain, timestamp: undefined, addedCount: MEMBERS + 1, addFailureContacts: [], updatedCount: 0, updateFailureContacts: [], deletedCount: 0, deleteFailureContacts: [] },
    );
    const cards = book();
    assert.equal(cards.size, MEMBERS + 1);
    assert.equal(
      cards.get(`${ou}-alice.vcf`),
      `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${ou}-alice\r\nFN:Alice Martin\r\nN:Martin;Alice;;;\r\nEMAIL:alice@${domain}\r\nTEL;TYPE=work:+33 1 23 45 67 89\r\nEND:VCARD\r\n`,
    );
    assert.ok(![...cards.values()].some((c) => c.includes('elsewhere')));
  });

  test('second sync changes nothing', async () => {
    const before = book();
    const info = (await runTask(`/addressbook/domain-members/${domain}?task=sync`)).additionalInformation;
    assert.deepEqual([info.addedCount, info.updatedCount, info.deletedCount], [0, 0, 0]);
    assert.deepEqual(book(), before);
  });

  test('a changed phone updates one card, a removed entry deletes one, a card unknown to LDAP goes, counts match', async () => {
    await addLdapEntries(conn, [`dn: uid=${ou}-u7,${base}`, 'changetype: modify', 'replace: telephoneNumber', 'telephoneNumber: +33 9 99 99 99 99', '', `dn: uid=${ou}-u8,${base}`, 'changetype: delete', ''].join('\n'));
    // A card LDAP never knew, without UID: deleted under the name-based UUID of its mail (spec 3.6 step 3).
    const [bookKey] = [...sabre.books].filter((b) => b.endsWith('/domain-members'));
    const strayName = `${mailUuid(`stray@${domain}`)}.vcf`;
    sabre.contacts.set(`addressbooks/${bookKey}/${strayName}`, { vcard: `BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Stray\r\nEMAIL:stray@${domain}\r\nEND:VCARD\r\n`, writtenBy: 'test' });
    const result = await runTask('/addressbook/domain-members?task=sync');
    const info = result.additionalInformation;
    assert.equal(result.status, 'completed');
    assert.equal(info.domain, null);
    assert.deepEqual([info.addedCount, info.updatedCount, info.deletedCount], [0, 1, 2]);
    const cards = book();
    assert.equal(cards.size, MEMBERS);
    assert.match(cards.get(`${ou}-u7.vcf`)!, /\r\nTEL;TYPE=work:\+33 9 99 99 99 99\r\n/);
    assert.equal(cards.has(`${ou}-u8.vcf`), false);
    assert.equal(cards.has(strayName), false);
  });

  test('an unknown domain is 404 before any task', async () => {
    const r = await wa('POST', '/addressbook/domain-members/unknown.example?task=sync');
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().message, 'domain not found: unknown.example');
  });

  test('Basic login binds as the LDAP entry: right password accepted, wrong one 401', async () => {
    const ok = await s.rest.inject({ url: '/api/user', headers: { authorization: basic(`alice@${domain}`, 'alice-secret') } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().preferredEmail, `alice@${domain}`);
    const wrong = await s.rest.inject({ url: '/api/user', headers: { authorization: basic(`alice@${domain}`, 'not-her-password') } });
    assert.equal(wrong.statusCode, 401);
    const unknown = await s.rest.inject({ url: '/api/user', headers: { authorization: basic(`nobody@${domain}`, 'alice-secret') } });
    assert.equal(unknown.statusCode, 401);
    const empty = await s.rest.inject({ url: '/api/user', headers: { authorization: basic(`alice@${domain}`, '') } });
    assert.equal(empty.statusCode, 401);
  });

  test('webadmin /users reads LDAP and refuses writes; LDAP User Server is healthy', async () => {
    const users = (await wa('GET', '/users')).json() as { username: string }[];
    assert.ok(users.some((u) => u.username === `alice@${domain}`));
    assert.equal((await wa('PUT', `/users/alice@${domain}`)).statusCode, 500);
    const health = await wa('GET', '/healthcheck/checks/LDAP%20User%20Server');
    assert.equal(health.statusCode, 200, health.body);
    assert.equal(health.json().status, 'healthy');
  });
});
