import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SecretLinkStore } from '../../src/calendar/secret-link-store.js';

const ALICE = '65f1c0ffee0000000000a001';
const BOB = '65f1c0ffee0000000000b002';
const CAL = { homeId: '65f1c0ffee0000000000a001', calendarId: '65f1c0ffee0000000000a001' };
const OTHER = { homeId: '65f1c0ffee0000000000a001', calendarId: 'work' };

/** The guarantees of SecretLinkStore, run against every adapter. */
export function secretLinkStoreContract(make: () => Promise<SecretLinkStore>): void {
  test('unknown user or calendar: no token and no owner', async () => {
    const store = await make();
    assert.equal(await store.get(ALICE, CAL), undefined);
    assert.equal(await store.ownerOf(CAL, 'nope'), undefined);
  });

  test('create stores once; a second create keeps the first token', async () => {
    const store = await make();
    assert.equal(await store.create(ALICE, CAL, 'tok-1'), 'tok-1');
    assert.equal(await store.create(ALICE, CAL, 'tok-2'), 'tok-1');
    assert.equal(await store.get(ALICE, CAL), 'tok-1');
    assert.equal(await store.ownerOf(CAL, 'tok-1'), ALICE);
  });

  test('concurrent creators all get the same token', async () => {
    const store = await make();
    const got = await Promise.all(['a', 'b', 'c', 'd'].map((t) => store.create(BOB, CAL, `tok-${t}`)));
    assert.equal(new Set(got).size, 1);
    assert.equal(await store.get(BOB, CAL), got[0]);
  });

  test('replace invalidates the previous token at once', async () => {
    const store = await make();
    await store.create(ALICE, CAL, 'old-token');
    await store.replace(ALICE, CAL, 'new-token');
    assert.equal(await store.ownerOf(CAL, 'old-token'), undefined);
    assert.equal(await store.ownerOf(CAL, 'new-token'), ALICE);
    assert.equal(await store.get(ALICE, CAL), 'new-token');
  });

  test('replace without a previous token creates one', async () => {
    const store = await make();
    await store.replace(BOB, OTHER, 'fresh');
    assert.equal(await store.get(BOB, OTHER), 'fresh');
  });

  test('a token opens only its own calendar, case-sensitively, and tokens are per user', async () => {
    const store = await make();
    await store.create(ALICE, CAL, 'Alice-Token');
    await store.create(BOB, CAL, 'Bob-Token');
    assert.equal(await store.ownerOf(OTHER, 'Alice-Token'), undefined);
    assert.equal(await store.ownerOf(CAL, 'alice-token'), undefined);
    assert.equal(await store.ownerOf(CAL, 'Bob-Token'), BOB);
    assert.equal(await store.get(ALICE, OTHER), undefined);
  });
}
