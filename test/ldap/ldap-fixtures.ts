import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { addLdapEntries, type LdapConnection } from '../harness/ldap.js';
import { requireEnv } from '../support/real.js';

/** The harness's LDAP server (LDAP_* env vars); fails loudly when they are missing. */
export function ldapConnection(): LdapConnection {
  return {
    url: requireEnv('LDAP_URL'),
    baseDn: requireEnv('LDAP_BASE_DN'),
    adminDn: requireEnv('LDAP_ADMIN_DN'),
    adminPassword: requireEnv('LDAP_ADMIN_PASSWORD'),
  };
}

export interface Person {
  uid: string;
  mail: string;
  cn: string;
  sn: string;
  givenName?: string;
  displayName?: string;
  phone?: string;
  password?: string;
}

/** An organisational unit of its own per test file, so runs never see each other's entries. */
export async function freshPeople(conn: LdapConnection, ou: string, people: Person[]): Promise<string> {
  const base = `ou=${ou},${conn.baseDn}`;
  const ldif = [`dn: ${base}`, 'objectClass: organizationalUnit', `ou: ${ou}`, '', ...people.map((p) => personLdif(base, p))].join('\n');
  await addLdapEntries(conn, ldif);
  return base;
}

export function personLdif(base: string, p: Person): string {
  return [
    `dn: uid=${p.uid},${base}`, 'objectClass: inetOrgPerson', `uid: ${p.uid}`, `cn: ${p.cn}`, `sn: ${p.sn}`, `mail: ${p.mail}`,
    ...(p.givenName ? [`givenName: ${p.givenName}`] : []),
    ...(p.displayName ? [`displayName: ${p.displayName}`] : []),
    ...(p.phone ? [`telephoneNumber: ${p.phone}`] : []),
    ...(p.password ? [`userPassword: ${p.password}`] : []),
    '',
  ].join('\n');
}

/** A configuration directory holding only a `usersrepository.xml` (LDAP mode), removed when the file ends. */
export function ldapConfDir(conn: LdapConnection, userBase: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'sidecal-ldap-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'usersrepository.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<usersrepository name="LocalUsers" class="org.apache.james.user.ldap.ReadOnlyUsersLDAPRepository"
  ldapHost="${conn.url}" principal="${conn.adminDn}" credentials="${conn.adminPassword}" userBase="${userBase}"
  userObjectClass="inetOrgPerson" userIdAttribute="mail" poolSize="2" connectionTimeout="2000" readTimeout="5000" ${extra}>
  <enableVirtualHosting>true</enableVirtualHosting>
</usersrepository>
`,
  );
  return dir;
}
