import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AckBatcher } from '../../src/events/ack-batcher.js';

function batcher() {
  const sent: [number, boolean][] = [];
  const b = new AckBatcher((tag, multiple) => void sent.push([tag, multiple]));
  return { b, sent };
}

test('acks of one turn go out as one multiple ack up to the last contiguous settled tag', async () => {
  const { b, sent } = batcher();
  for (let t = 1; t <= 5; t++) b.delivered(t);
  for (const t of [2, 1, 3, 5, 4]) b.ack(t);
  assert.deepEqual(sent, [], 'nothing before the turn ends');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent, [[5, true]]);
});

test('a message still being handled holds back no ack: later ones are acked singly, and the multiple ack skips them afterwards', () => {
  const { b, sent } = batcher();
  for (let t = 1; t <= 4; t++) b.delivered(t);
  b.ack(1);
  b.ack(3);
  b.ack(4);
  b.flush();
  assert.deepEqual(sent, [[1, true], [3, false], [4, false]]);
  b.delivered(5);
  b.ack(2);
  b.ack(5);
  b.flush();
  // 2 closes the gap; 3 and 4 are already acked, so the multiple ack covers 2..5 without acking anything twice.
  assert.deepEqual(sent.slice(3), [[5, true]]);
});

test('a nacked message is skipped, never acked; nothing pending sends nothing', () => {
  const { b, sent } = batcher();
  for (let t = 1; t <= 3; t++) b.delivered(t);
  b.ack(1);
  b.settledElsewhere(2);
  b.ack(3);
  b.flush();
  assert.deepEqual(sent, [[3, true]]);
  b.flush();
  assert.deepEqual(sent, [[3, true]]);
});

test('a closed channel (send throws) drops the acks without throwing; later acks still go out', () => {
  let closed = true;
  const sent: number[] = [];
  const b = new AckBatcher((tag) => {
    if (closed) throw new Error('Channel closed');
    sent.push(tag);
  });
  b.delivered(1);
  b.ack(1);
  assert.doesNotThrow(() => b.flush());
  closed = false;
  b.delivered(2);
  b.ack(2);
  b.flush();
  assert.deepEqual(sent, [2]);
});

test('long runs keep the bookkeeping small (compaction) and still ack the right tags', () => {
  const { b, sent } = batcher();
  for (let t = 1; t <= 5000; t++) {
    b.delivered(t);
    b.ack(t);
    if (t % 100 === 0) b.flush();
  }
  assert.equal(sent.length, 50);
  assert.deepEqual(sent.at(-1), [5000, true]);
});
