import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageBus } from '../../src/events/message-bus.js';
import { uniqueName } from '../support/real.js';

/** Waits until `check` holds (messages travel asynchronously through a broker). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface BusUnderTest {
  bus: MessageBus;
  /** Messages in a dead-letter queue, read back from the backend itself. */
  deadLetters(queue: string): Promise<unknown[]>;
  close(): Promise<void>;
}

export function messageBusContract(name: string, make: () => Promise<BusUnderTest>): void {
  test(`${name}: a published message reaches every queue bound to the exchange`, async () => {
    const t = await make();
    const exchange = uniqueName('calendar:event:created');
    const a: unknown[] = [];
    const b: unknown[] = [];
    await t.bus.subscribe({ exchange, queue: `${exchange}:a`, deadLetterSuffix: '-dead-letter', handler: async (m) => void a.push(m.payload) });
    await t.bus.subscribe({ exchange, queue: `${exchange}:b`, deadLetterSuffix: '-dead-letter', handler: async (m) => void b.push(m.payload) });
    await t.bus.publish(exchange, { eventPath: '/calendars/a/b/c.ics', n: 1 });
    await eventually(() => a.length === 1 && b.length === 1);
    assert.deepEqual(a, [{ eventPath: '/calendars/a/b/c.ics', n: 1 }]);
    await t.close();
  });

  test(`${name}: a failing message is retried, then kept in its dead-letter queue; the next message is processed`, async () => {
    const t = await make();
    const exchange = uniqueName('calendar:event:alarm:created');
    const queue = `t${exchange}`;
    const attempts: number[] = [];
    const ok: unknown[] = [];
    await t.bus.subscribe({
      exchange, queue, deadLetterSuffix: ':dead-letter',
      handler: async (m) => {
        const p = m.payload as { poison?: boolean };
        if (p.poison) {
          attempts.push(m.attempt);
          throw new Error('cannot handle');
        }
        ok.push(p);
      },
    });
    await t.bus.publish(exchange, { poison: true });
    await t.bus.publish(exchange, { fine: true });
    await eventually(async () => (await t.deadLetters(`${queue}:dead-letter`)).length === 1);
    assert.deepEqual(await t.deadLetters(`${queue}:dead-letter`), [{ poison: true }]);
    assert.deepEqual(ok, [{ fine: true }]);
    assert.deepEqual(attempts, [1, 2, 3, 4]);
    await t.close();
  });
}
