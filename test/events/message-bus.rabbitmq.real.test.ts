import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from 'amqplib';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { calendarQueueArguments, RabbitMqMessageBus } from '../../src/events/message-bus.rabbitmq.js';
import { canControl, restartRabbitMQ } from '../harness/control.js';
import { requireEnv, uniqueName } from '../support/real.js';
import { eventually, messageBusContract } from './message-bus.contract.js';

const uri = requireEnv('RABBITMQ_URI');
const logger = pino({ level: 'silent' });

async function makeBus(registry?: Registry): Promise<RabbitMqMessageBus> {
  const bus = new RabbitMqMessageBus({ uri, logger, prefetch: 16, maxRetries: 3, queueArguments: calendarQueueArguments(false, { enabled: false, replicationFactor: 1 }), registry, minReconnectDelayMs: 100, maxReconnectDelayMs: 1000 });
  await bus.start();
  return bus;
}

/** Reads a dead-letter queue from the broker itself (drained into a local list, so repeated reads accumulate). */
function dlqReader() {
  const seen = new Map<string, unknown[]>();
  return async (queue: string): Promise<unknown[]> => {
    const conn = await connect(uri);
    try {
      const ch = await conn.createChannel();
      const list = seen.get(queue) ?? [];
      for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) list.push(JSON.parse(m.content.toString('utf8')));
      seen.set(queue, list);
      return list;
    } finally {
      await conn.close();
    }
  };
}

messageBusContract('RabbitMqMessageBus', async () => {
  const bus = await makeBus();
  return { bus, deadLetters: dlqReader(), close: () => bus.close() };
});

test('RabbitMQ: a body that is not JSON goes to the dead-letter queue at once; metrics count it', async () => {
  const registry = new Registry();
  const bus = await makeBus(registry);
  const exchange = uniqueName('calendar:event:created');
  const queue = `t${exchange}:search`;
  const ok: unknown[] = [];
  await bus.subscribe({ exchange, queue, deadLetterSuffix: '-dead-letter', handler: async (m) => void ok.push(m.payload) });
  const conn = await connect(uri);
  const ch = await conn.createConfirmChannel();
  ch.publish(exchange, '', Buffer.from('{not json'));
  ch.publish(exchange, '', Buffer.from('{"eventPath":"\\/calendars\\/a\\/b\\/c.ics"}'));
  await ch.waitForConfirms();
  await conn.close();
  await eventually(() => ok.length === 1);
  assert.deepEqual(ok, [{ eventPath: '/calendars/a/b/c.ics' }]);
  const raw = await connect(uri);
  const rch = await raw.createChannel();
  let dead: string | undefined;
  await eventually(async () => {
    const m = await rch.get(`${queue}-dead-letter`, { noAck: true });
    dead = m ? m.content.toString('utf8') : undefined;
    return dead !== undefined;
  });
  await raw.close();
  assert.equal(dead, '{not json');
  const metrics = await registry.getSingleMetricAsString('amqp_messages_dead_lettered_total');
  assert.ok(metrics.includes(`{queue="${queue}"} 1`), metrics);
  assert.deepEqual(await bus.check(), { status: 'healthy' });
  await bus.close();
});

test('RabbitMQ: lag metrics: ready messages per queue from the broker, unsettled deliveries of this node', async () => {
  const registry = new Registry();
  const bus = await makeBus(registry); // prefetch 16
  const exchange = uniqueName('calendar:event:created');
  const queue = `t${exchange}:search`;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let handled = 0;
  await bus.subscribe({ exchange, queue, deadLetterSuffix: '-dead-letter', handler: async () => { await gate; handled++; } });
  const conn = await connect(uri);
  const ch = await conn.createConfirmChannel();
  for (let i = 0; i < 20; i++) ch.publish(exchange, '', Buffer.from(JSON.stringify({ i })));
  await ch.waitForConfirms();
  await conn.close();
  const value = async (name: string) => {
    const line = (await registry.getSingleMetricAsString(name)).split('\n').find((l) => l.startsWith(`${name}{queue="${queue}"}`));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  // 16 held by the blocked handler (the prefetch), 4 waiting in the broker.
  await eventually(async () => (await value('amqp_messages_in_flight')) === 16 && (await value('amqp_queue_messages_ready')) === 4);
  release();
  await eventually(() => handled === 20);
  await eventually(async () => (await value('amqp_messages_in_flight')) === 0 && (await value('amqp_queue_messages_ready')) === 0);
  await bus.close();
  // Without a connection the broker's figure is absent, not stale.
  assert.equal(await value('amqp_queue_messages_ready'), undefined);
});

test('RabbitMQ: a broker restart during a burst loses no message', { skip: !canControl('rabbitmq') && 'RabbitMQ not started by the harness' }, async () => {
  const bus = await makeBus();
  const exchange = uniqueName('calendar:event:updated');
  const seen = new Set<number>();
  await bus.subscribe({ exchange, queue: `t${exchange}:search`, deadLetterSuffix: '-dead-letter', handler: async (m) => void seen.add((m.payload as { n: number }).n) });
  // Persistent publications through a confirm channel, so the broker has them on disk before the restart.
  const conn = await connect(uri);
  const ch = await conn.createConfirmChannel();
  for (let n = 0; n < 500; n++) ch.publish(exchange, '', Buffer.from(JSON.stringify({ n })), { persistent: true });
  await ch.waitForConfirms();
  await conn.close();
  await restartRabbitMQ();
  await eventually(() => seen.size === 500, 60_000);
  await eventually(async () => (await bus.check()).status === 'healthy', 30_000);
  await bus.close();
});
