import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from '../../src/search/group-commit.js';

test('group commit: calls of one tick share a write; calls made while a write is in flight share the next one', async () => {
  const writes: number[][] = [];
  let release!: () => void;
  let gate: Promise<void> = Promise.resolve();
  const g = new GroupCommit<number>(async (items) => {
    writes.push(items);
    await gate;
    return items.map(() => undefined);
  }, 100);
  const first = [g.submit([1]), g.submit([2, 3])];
  await Promise.all(first);
  gate = new Promise((r) => (release = r));
  const slow = g.submit([4]);
  await new Promise((r) => setImmediate(r));
  const queued = [g.submit([5]), g.submit([6])];
  assert.equal(g.pending, 2);
  release();
  await Promise.all([slow, ...queued]);
  assert.deepEqual(writes, [[1, 2, 3], [4], [5, 6]]);
});

test('group commit: batches hold at most maxBatch items, whole submissions only, in submission order', async () => {
  const writes: number[][] = [];
  const g = new GroupCommit<number>(async (items) => {
    writes.push(items);
    return items.map(() => undefined);
  }, 3);
  await Promise.all([g.submit([1, 2]), g.submit([3, 4]), g.submit([5]), g.submit([6, 7, 8, 9])]);
  assert.deepEqual(writes, [[1, 2], [3, 4, 5], [6, 7, 8, 9]]);
});

test('group commit: an item error rejects only its submitter; a failed write rejects the whole batch; the batcher goes on', async () => {
  let fail = false;
  const g = new GroupCommit<number>(async (items) => {
    if (fail) throw new Error('backend down');
    return items.map((i) => (i < 0 ? new Error(`bad ${i}`) : undefined));
  }, 10);
  const outcomes = await Promise.allSettled([g.submit([1]), g.submit([2, -2]), g.submit([3])]);
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /bad -2/);
  fail = true;
  const down = await Promise.allSettled([g.submit([4]), g.submit([5])]);
  assert.deepEqual(down.map((o) => o.status), ['rejected', 'rejected']);
  fail = false;
  await g.submit([]);
  await g.submit([6]);
  assert.equal(g.pending, 0);
});
