import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, InvalidCredentialsError } from 'ldapts';
import { addLdapEntries, ldapFromEnv } from '../harness/ldap.js';
import { requireEnv } from '../support/real.js';

test('ldap: admin bind, add entry, search, bind as the new user', async (t) => {
  requireEnv('LDAP_URL');
  const conn = ldapFromEnv();
  const uid = `smoke${process.pid}${Date.now().toString(36)}`;
  const dn = `uid=${uid},ou=people,${conn.baseDn}`;

  const admin = new Client({ url: conn.url });
  t.after(() => admin.unbind());
  await admin.bind(conn.adminDn, conn.adminPassword);
  await admin.add(dn, {
    objectClass: ['inetOrgPerson', 'posixAccount'],
    uid,
    cn: 'Smoke Tester',
    sn: 'Tester',
    givenName: 'Smoke',
    mail: `${uid}@example.org`,
    uidNumber: '10001',
    gidNumber: '10001',
    homeDirectory: `/home/${uid}`,
    userPassword: 'p4ssw0rd',
  });

  const { searchEntries } = await admin.search(`ou=people,${conn.baseDn}`, {
    scope: 'sub',
    filter: `(&(objectClass=inetOrgPerson)(mail=${uid}@example.org))`,
    attributes: ['uid', 'cn', 'mail'],
  });
  assert.equal(searchEntries.length, 1);
  assert.equal(searchEntries[0]!.dn, dn);
  assert.equal(searchEntries[0]!.cn, 'Smoke Tester');

  const user = new Client({ url: conn.url });
  await user.bind(dn, 'p4ssw0rd');
  await user.unbind();
  const wrong = new Client({ url: conn.url });
  await assert.rejects(wrong.bind(dn, 'nope'), InvalidCredentialsError);
  await wrong.unbind().catch(() => undefined);

  // LDIF helper (used by the LDAP sync tests)
  const uid2 = `${uid}b`;
  await addLdapEntries(
    conn,
    `dn: uid=${uid2},ou=people,${conn.baseDn}
objectClass: inetOrgPerson
uid: ${uid2}
cn: Second Smoke
sn: Smoke
mail: ${uid2}@example.org
userPassword: secret2
`,
  );
  const again = await admin.search(`ou=people,${conn.baseDn}`, { filter: `(uid=${uid2})` });
  assert.equal(again.searchEntries.length, 1);
  assert.equal(again.searchEntries[0]!.mail, `${uid2}@example.org`);

  await admin.del(dn);
  await admin.del(`uid=${uid2},ou=people,${conn.baseDn}`);
});
