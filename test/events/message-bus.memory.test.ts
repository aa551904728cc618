import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { MemoryMessageBus } from '../../src/events/message-bus.memory.js';

const logger = pino({ level: 'silent' });

test('memory bus: fanout to every bound queue, payload copied, handlers see attempts', async () => {
  const bus = new MemoryMessageBus({ logger });
  const a: unknown[] = [];
  const b: unknown[] = [];
  await bus.subscribe({ exchange: 'x', queue: 'qa', deadLetterSuffix: ':dead-letter', handler: async (m) => void a.push(m.payload) });
  await bus.subscribe({ exchange: 'x', queue: 'qb', deadLetterSuffix: ':dead-letter', handler: async (m) => void b.push(m.payload) });
  const payload = { n: 1 };
  await bus.publish('x', payload);
  await bus.publish('other', { n: 2 });
  await bus.idle();
  assert.deepEqual(a, [{ n: 1 }]);
  assert.deepEqual(b, [{ n: 1 }]);
  assert.notEqual(a[0], payload);
  await bus.close();
});

test('memory bus: a failing message is retried then dead-lettered and does not block the next one', async () => {
  const bus = new MemoryMessageBus({ logger, maxRetries: 2 });
  const seen: number[] = [];
  await bus.subscribe({
    exchange: 'x', queue: 'q', deadLetterSuffix: '-dead-letter',
    handler: async (m) => {
      const n = (m.payload as { n: number }).n;
      seen.push(n);
      if (n === 1) throw new Error('poison');
    },
  });
  await bus.publish('x', { n: 1 });
  await bus.publish('x', { n: 2 });
  await bus.idle();
  assert.deepEqual(seen.filter((n) => n === 1).length, 3, 'first try + 2 retries');
  assert.ok(seen.includes(2));
  assert.deepEqual(bus.deadLetters.get('q-dead-letter')?.map((m) => m.payload), [{ n: 1 }]);
  await bus.close();
  await assert.rejects(bus.publish('x', {}), /closed/);
});
