import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainNotFoundError, UserConflictError, UserNotFoundError } from '../../src/core/errors.js';
import type { DomainStore } from '../../src/storage/domain-store.js';
import type { UserStore } from '../../src/storage/user-store.js';

export function userStoreContract(name: string, make: () => Promise<{ users: UserStore; domains: DomainStore }>): void {
  const setup = async () => {
    const s = await make();
    const linagora = await s.domains.add('linagora.com');
    const other = await s.domains.add('other.org');
    return { ...s, linagora, other };
  };

  test(`${name}: empty by default`, async () => {
    const { users } = await make();
    assert.deepEqual(await users.list(), []);
  });

  test(`${name}: add then retrieve by id and username, lower-cased`, async () => {
    const { users, linagora } = await setup();
    const bob = await users.add('Bob@Linagora.com', 'Bob', 'Marley');
    assert.deepEqual(bob, { id: bob.id, username: 'bob@linagora.com', firstname: 'Bob', lastname: 'Marley', domainId: linagora.id });
    assert.deepEqual(await users.retrieveById(bob.id), bob);
    assert.deepEqual(await users.retrieveByUsername('BOB@linagora.com'), bob);
  });

  test(`${name}: names default to empty strings`, async () => {
    const { users } = await setup();
    const u = await users.add('x@linagora.com');
    assert.equal(u.firstname, '');
    assert.equal(u.lastname, '');
  });

  test(`${name}: add twice is a conflict, also when concurrent`, async () => {
    const { users } = await setup();
    await users.add('bob@linagora.com');
    await assert.rejects(users.add('bob@linagora.com'), UserConflictError);
    const results = await Promise.allSettled([users.add('alice@linagora.com'), users.add('alice@linagora.com'), users.add('alice@linagora.com')]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal((await users.list()).filter((u) => u.username === 'alice@linagora.com').length, 1);
  });

  test(`${name}: add in an unknown domain is DomainNotFound`, async () => {
    const { users } = await setup();
    await assert.rejects(users.add('bob@unknown.org'), DomainNotFoundError);
  });

  test(`${name}: update changes username, names and domain`, async () => {
    const { users, other } = await setup();
    const bob = await users.add('bob@linagora.com', 'Bob', 'M');
    const updated = await users.update(bob.id, 'robert@other.org', 'Robert', 'Marley');
    assert.deepEqual(updated, { id: bob.id, username: 'robert@other.org', firstname: 'Robert', lastname: 'Marley', domainId: other.id });
    assert.deepEqual(await users.retrieveById(bob.id), updated);
    assert.equal(await users.retrieveByUsername('bob@linagora.com'), undefined);
  });

  test(`${name}: update errors`, async () => {
    const { users } = await setup();
    const bob = await users.add('bob@linagora.com');
    await users.add('alice@linagora.com');
    await assert.rejects(users.update('659387b9d486dc0046aeff21', 'x@linagora.com', '', ''), UserNotFoundError);
    await assert.rejects(users.update(bob.id, 'alice@linagora.com', '', ''), UserConflictError);
    await assert.rejects(users.update(bob.id, 'bob@nowhere.org', '', ''), DomainNotFoundError);
  });

  test(`${name}: delete removes, is idempotent, spares others`, async () => {
    const { users } = await setup();
    await users.add('bob@linagora.com');
    await users.add('alice@linagora.com');
    await users.delete('bob@linagora.com');
    await users.delete('bob@linagora.com');
    assert.deepEqual((await users.list()).map((u) => u.username), ['alice@linagora.com']);
  });

  test(`${name}: unknown and malformed ids resolve to undefined`, async () => {
    const { users } = await setup();
    assert.equal(await users.retrieveById('659387b9d486dc0046aeff21'), undefined);
    assert.equal(await users.retrieveById('zzz'), undefined);
  });

  test(`${name}: listByDomain and search stay in one domain`, async () => {
    const { users, linagora, other } = await setup();
    await users.add('nhan@linagora.com', 'Nhan Phung', 'Tran');
    await users.add('nhat@other.org', 'Nhat', 'Phung');
    assert.deepEqual((await users.listByDomain(linagora.id)).map((u) => u.username), ['nhan@linagora.com']);
    assert.deepEqual((await users.search(linagora.id, 'phu', 10)).map((u) => u.username), ['nhan@linagora.com']);
    assert.deepEqual((await users.search(linagora.id, 'NHAN@', 10)).map((u) => u.username), ['nhan@linagora.com']);
    assert.deepEqual((await users.search(other.id, 'phung', 10)).map((u) => u.username), ['nhat@other.org']);
    assert.deepEqual(await users.search(linagora.id, 'zzz', 10), []);
    await users.add('nhung@linagora.com', 'Nhung', 'X');
    assert.equal((await users.search(linagora.id, 'nh', 1)).length, 1);
  });
}
