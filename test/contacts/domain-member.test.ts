import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cardUid, mailUuid, parseVCards, toVCard } from '../../src/contacts/domain-member.js';
import { toMember } from '../../src/ldap/ldap-domain-members.js';
import type { LdapEntry } from '../../src/ldap/ldap-pool.js';

const entry = (dn: string, attrs: Record<string, string>): LdapEntry => ({ dn, attributes: new Map(Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), [v]])) });

describe('domain member: LDAP entry → vCard (spec dav-ldap-config.md 3.5)', () => {
  test('the UUID worked example: alice@example.com → c160f8cc-69a4-30bf-ab03-62752353d060', () => {
    assert.equal(mailUuid('alice@example.com'), 'c160f8cc-69a4-30bf-ab03-62752353d060');
  });

  test('the UUID lower-cases the domain only: the local part stays as written', () => {
    assert.equal(mailUuid('alice@EXAMPLE.com'), 'c160f8cc-69a4-30bf-ab03-62752353d060');
    assert.notEqual(mailUuid('Alice@example.com'), mailUuid('alice@example.com'));
    assert.match(mailUuid('Alice@example.com'), /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('the spec example entry becomes the exact vCard of the spec (order, CRLF, TEL;TYPE=work, no PRODID)', () => {
    const member = toMember(
      entry('uid=alice,ou=people,dc=example,dc=com', {
        uid: 'alice', cn: 'Alice Martin', sn: 'Martin', givenName: 'Alice', displayName: 'Alice Martin', mail: 'alice@example.com', telephoneNumber: '+33 1 23 45 67 89',
      }),
    );
    assert.ok(member);
    assert.equal(
      toVCard(member),
      'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:alice\r\nFN:Alice Martin\r\nN:Martin;Alice;;;\r\nEMAIL:alice@example.com\r\nTEL;TYPE=work:+33 1 23 45 67 89\r\nEND:VCARD\r\n',
    );
  });

  test('without uid the UID is the UUID of the mail; absent FN and TEL are omitted; names match case-insensitively', () => {
    const member = toMember(entry('cn=x', { CN: 'Bob', SN: 'Stone', MAIL: 'bob@example.com' }));
    assert.equal(toVCard(member!), `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${mailUuid('bob@example.com')}\r\nN:Stone;;;;\r\nEMAIL:bob@example.com\r\nEND:VCARD\r\n`);
  });

  test('core rule: entries lacking cn or sn, or with an invalid mail, are skipped', () => {
    assert.equal(toMember(entry('a', { sn: 'S', mail: 'a@example.com' })), undefined);
    assert.equal(toMember(entry('b', { cn: 'C', mail: 'b@example.com' })), undefined);
    assert.equal(toMember(entry('c', { cn: 'C', sn: 'S', mail: 'not-an-address' })), undefined);
    assert.equal(toMember(entry('d', { cn: 'C', sn: 'S' })), undefined);
  });

  test('cards read back: first non-empty EMAIL, N parts, FN, TEL text or tel: URI, UID; folded lines joined', () => {
    const stream = [
      'BEGIN:VCARD', 'VERSION:4.0', 'UID:u1', 'FN:Carol', ' Ann', 'N:King;Carol;;;', 'EMAIL:', 'EMAIL;TYPE=work:carol@example.com', 'TEL;VALUE=uri:tel:+331', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:No Uid', 'EMAIL:nouid@example.com', 'END:VCARD', '',
    ].join('\r\n');
    const [carol, noUid] = parseVCards(stream);
    assert.deepEqual(carol, { uid: 'u1', mail: 'carol@example.com', displayName: 'CarolAnn', familyName: 'King', givenName: 'Carol', phone: '+331' });
    assert.equal(noUid!.uid, '');
    assert.equal(cardUid(noUid!), mailUuid('nouid@example.com'));
  });

  test('a vCard written then read back gives the member again', () => {
    const m = { uid: 'x1', mail: 'x@example.com', displayName: 'X; Y, Z', familyName: 'Y', givenName: 'X', phone: '+1 555' };
    assert.deepEqual(parseVCards(toVCard(m)), [m]);
  });
});
