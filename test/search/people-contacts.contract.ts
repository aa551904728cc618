import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredContact } from '../../src/search/people-contacts.memory.js';
import type { ContactSearchEngine } from '../../src/search/people-contacts.js';

const BOB = { username: 'bob@open-paas.ltd', domain: 'open-paas.ltd' };

export const CONTACTS: StoredContact[] = [
  { accountId: 'bob@open-paas.ltd', id: 'f0b97959-1f62-40f7-9df0-798125d62308', email: 'GrepMe@linagora.com', firstname: 'Grep', surname: 'Me' },
  { accountId: 'bob@open-paas.ltd', id: 'c7a6d0b1-0000-4000-8000-000000000001', email: 'naruto@open-paas.ltd', firstname: 'naruto', surname: 'hokage' },
  { accountId: 'alice@open-paas.ltd', id: 'c7a6d0b1-0000-4000-8000-000000000002', email: 'private@other.com', firstname: 'Private', surname: 'Friend' },
  { domain: 'open-paas.ltd', id: 'c7a6d0b1-0000-4000-8000-000000000003', email: 'sakura@open-paas.ltd', firstname: 'Sakura', surname: 'Haruno' },
  { domain: 'other.org', id: 'c7a6d0b1-0000-4000-8000-000000000004', email: 'sasuke@other.org', firstname: 'Sasuke', surname: 'Uchiha' },
  // the same person in the user and the domain index: one result
  { domain: 'open-paas.ltd', id: 'c7a6d0b1-0000-4000-8000-000000000001', email: 'naruto@open-paas.ltd', firstname: 'naruto', surname: 'hokage' },
];

/** ContactSearchEngine contract (storage.md 3.7); the factory indexes the given contacts as Twake Mail would. */
export function contactSearchContract(name: string, make: (contacts: StoredContact[]) => Promise<ContactSearchEngine>): void {
  describe(`${name} (contact search contract)`, () => {
    it('finds the caller\'s own contacts by firstname prefix, email lower-cased', async () => {
      const engine = await make(CONTACTS);
      assert.deepEqual(await engine.autoComplete(BOB, 'grep', 10), [
        { id: 'f0b97959-1f62-40f7-9df0-798125d62308', email: 'grepme@linagora.com', firstname: 'Grep', surname: 'Me' },
      ]);
    });

    it('finds by surname and by email; a query with @ matches the email', async () => {
      const engine = await make(CONTACTS);
      assert.deepEqual((await engine.autoComplete(BOB, 'hokage', 10)).map((c) => c.email), ['naruto@open-paas.ltd']);
      assert.deepEqual((await engine.autoComplete(BOB, 'sakura@open-paas.ltd', 10)).map((c) => c.email), ['sakura@open-paas.ltd']);
      assert.deepEqual((await engine.autoComplete(BOB, 'SAKU', 10)).map((c) => c.email), ['sakura@open-paas.ltd']);
    });

    it('sees its domain\'s contacts but never another user\'s or another domain\'s', async () => {
      const engine = await make(CONTACTS);
      assert.deepEqual(await engine.autoComplete(BOB, 'private', 10), []);
      assert.deepEqual(await engine.autoComplete(BOB, 'sasuke', 10), []);
      assert.deepEqual((await engine.autoComplete({ username: 'carol@other.org', domain: 'other.org' }, 'sasuke', 10)).map((c) => c.email), ['sasuke@other.org']);
    });

    it('drops duplicates across the two indices', async () => {
      const engine = await make(CONTACTS);
      assert.deepEqual((await engine.autoComplete(BOB, 'naruto', 10)).map((c) => c.id), ['c7a6d0b1-0000-4000-8000-000000000001']);
    });

    it('returns at most limit contacts', async () => {
      const many: StoredContact[] = Array.from({ length: 8 }, (_, i) => ({ accountId: BOB.username, id: `id-${i}`, email: `kakashi${i}@open-paas.ltd`, firstname: 'Kakashi', surname: `N${i}` }));
      const engine = await make(many);
      assert.equal((await engine.autoComplete(BOB, 'kakashi', 3)).length, 3);
    });
  });
}
