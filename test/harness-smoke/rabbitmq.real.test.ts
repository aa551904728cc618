import { test } from 'node:test';
import assert from 'node:assert/strict';
import amqp from 'amqplib';
import { canControl, restartRabbitMQ } from '../harness/control.js';
import { requireEnv } from '../support/real.js';

const unique = () => `smoke.${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 6)}`;

test('rabbitmq: declare exchange and queue, publish, consume, ack', async (t) => {
  const conn = await amqp.connect(requireEnv('RABBITMQ_URI'));
  t.after(() => conn.close());
  const ch = await conn.createChannel();
  const exchange = `${unique()}.exchange`;
  const queue = `${unique()}.queue`;
  await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
  await ch.assertQueue(queue, { durable: false, autoDelete: true });
  await ch.bindQueue(queue, exchange, 'calendar.event.#');

  const received = new Promise<amqp.ConsumeMessage>((resolve) => {
    void ch.consume(queue, (msg) => {
      if (msg) {
        ch.ack(msg);
        resolve(msg);
      }
    });
  });
  const payload = { eventPath: '/calendars/u1/c1/e1.ics', type: 'created' };
  assert.ok(ch.publish(exchange, 'calendar.event.created', Buffer.from(JSON.stringify(payload)), { contentType: 'application/json' }));
  const msg = await received;
  assert.equal(msg.fields.routingKey, 'calendar.event.created');
  assert.deepEqual(JSON.parse(msg.content.toString()), payload);

  // acked: nothing left in the queue
  await new Promise((r) => setTimeout(r, 100));
  const q = await ch.checkQueue(queue);
  assert.equal(q.messageCount, 0);
});

test(
  'rabbitmq: a persistent message on a durable queue survives a broker restart',
  { skip: !canControl('rabbitmq') && 'RabbitMQ not started by this harness run (RABBITMQ_URI points at an external broker)' },
  async () => {
    const url = requireEnv('RABBITMQ_URI');
    const queue = `${unique()}.durable`;
    const conn1 = await amqp.connect(url);
    conn1.on('error', () => undefined);
    const ch1 = await conn1.createConfirmChannel();
    await ch1.assertQueue(queue, { durable: true });
    ch1.sendToQueue(queue, Buffer.from('still here'), { persistent: true });
    await ch1.waitForConfirms();
    const closed = new Promise<void>((resolve) => conn1.once('close', () => resolve()));

    await restartRabbitMQ();
    await closed; // the broker dropped our connection

    const conn2 = await amqp.connect(url);
    try {
      const ch2 = await conn2.createChannel();
      const got = await ch2.get(queue, { noAck: true });
      assert.ok(got, 'message lost across the restart');
      assert.equal(got.content.toString(), 'still here');
      await ch2.deleteQueue(queue);
    } finally {
      await conn2.close();
    }
  },
);
