import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from 'amqplib';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ConsumerWatchdog } from '../../src/events/consumer-watchdog.js';
import { calendarQueueArguments, RabbitMqMessageBus } from '../../src/events/message-bus.rabbitmq.js';
import { requireEnv, uniqueName } from '../support/real.js';
import { eventually } from './message-bus.contract.js';

const uri = requireEnv('RABBITMQ_URI');
// The harness enables the management plugin (SIDECAL_RABBITMQ_MANAGEMENT=0 turns it off; this file then fails).
const managementUri = requireEnv('RABBITMQ_MANAGEMENT_URI');
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** GET /api/queues/%2F/{queue} of the real management API (credentials are in the harness URI). */
async function queueInfo(queue: string): Promise<{ consumer_details?: unknown[]; arguments?: Record<string, unknown> }> {
  const url = new URL(managementUri);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  const res = await fetch(`${url.protocol}//${url.host}/api/queues/%2F/${encodeURIComponent(queue)}`, { headers: { authorization: auth } });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { consumer_details?: unknown[]; arguments?: Record<string, unknown> };
}

async function publish(exchange: string, payload: unknown): Promise<void> {
  const conn = await connect(uri);
  const ch = await conn.createConfirmChannel();
  ch.publish(exchange, '', Buffer.from(JSON.stringify(payload)), { persistent: true });
  await ch.waitForConfirms();
  await conn.close();
}

test('a consumer lost while the connection lives is restored by the watchdog; the waiting message is then consumed', async () => {
  const bus = new RabbitMqMessageBus({ uri, logger, prefetch: 16, maxRetries: 3, queueArguments: calendarQueueArguments(false, { enabled: false, replicationFactor: 1 }) });
  await bus.start();
  const registry = new Registry();
  // Management statistics lag by ~5 s, so the pause after a restart must exceed that (the reference waits 30 s).
  const watchdog = new ConsumerWatchdog({ consumers: bus, managementUri, amqpUri: uri, intervalMs: 300, delayStartUpMs: 0, pauseAfterRestartMs: 8_000, logger, registry });
  try {
    const seen: { queue: string; n: number }[] = [];
    const names = [uniqueName('calendar:event:alarm:created'), uniqueName('calendar:event:alarm:deleted')].map((exchange) => ({ exchange, queue: `t${exchange}` }));
    for (const { exchange, queue } of names) {
      await bus.subscribe({ exchange, queue, deadLetterSuffix: ':dead-letter', handler: async (m) => void seen.push({ queue, n: (m.payload as { n: number }).n }) });
    }
    const [a, b] = names as [(typeof names)[0], (typeof names)[0]];
    // The broker's statistics must show both consumers before checks start, as a node's delayStartUp allows for.
    await eventually(async () => (await Promise.all(names.map((q) => queueInfo(q.queue)))).every((i) => (i.consumer_details?.length ?? 0) > 0), 20_000);

    await bus.abandonConsumer(a.queue);
    await publish(a.exchange, { n: 1 });
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(seen, [], 'no consumer: the message waits in its queue');
    watchdog.start();

    await eventually(() => seen.length === 1, 30_000);
    assert.deepEqual(seen, [{ queue: a.queue, n: 1 }]);
    await eventually(async () => /amqp_consumer_restarts_total 1\n?$/.test(await registry.getSingleMetricAsString('amqp_consumer_restarts_total')));
    await publish(b.exchange, { n: 2 });
    await eventually(() => seen.length === 2);
    assert.deepEqual(seen[1], { queue: b.queue, n: 2 }, 'the other queue is consumed after the restart of all consumers');

    // After its pause the watchdog sees the new consumers and leaves them alone.
    await eventually(async () => /result="ok"\} [1-9]/.test(await registry.getSingleMetricAsString('amqp_consumer_watchdog_checks_total')), 20_000);
    assert.match(await registry.getSingleMetricAsString('amqp_consumer_restarts_total'), /amqp_consumer_restarts_total 1\n?$/);
    assert.deepEqual(await bus.check(), { status: 'healthy' });
  } finally {
    await watchdog.close();
    await bus.close();
  }
});

test('fallback.classic.queues.v1: queues declared without x-queue-version; by default classic v2', async () => {
  for (const [fallback, expected] of [[false, 2], [true, undefined]] as const) {
    const bus = new RabbitMqMessageBus({ uri, logger, prefetch: 16, maxRetries: 3, queueArguments: calendarQueueArguments(false, { enabled: false, replicationFactor: 1 }, fallback) });
    await bus.start();
    try {
      const exchange = uniqueName('calendar:event:alarm:updated');
      await bus.subscribe({ exchange, queue: `t${exchange}`, deadLetterSuffix: ':dead-letter', handler: async () => undefined });
      for (const queue of [`t${exchange}`, `t${exchange}:dead-letter`]) assert.equal((await queueInfo(queue)).arguments?.['x-queue-version'], expected, queue);
    } finally {
      await bus.close();
    }
  }
});
