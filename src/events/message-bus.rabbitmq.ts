import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { HealthCheck, HealthResult } from '../health/health-check.js';
import { AckBatcher } from './ack-batcher.js';
import type { BusMessage, MessageBus, Subscription } from './message-bus.js';

export interface RabbitMqBusOptions {
  uri: string;
  logger: Logger;
  prefetch: number;
  /** Redeliveries after a failure before a message goes to its dead-letter queue. */
  maxRetries: number;
  /** Queue arguments (spec events-mail.md 1.4): classic v2 by default, quorum only with dav.queues.quorum.bypass=true. */
  queueArguments: Record<string, unknown>;
  registry?: Registry;
  /** Reconnection backoff bounds. */
  minReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

const ATTEMPT_HEADER = 'x-sidecal-attempt';
/** A scrape never waits longer than this for the broker's queue depths (a hung broker must not hang /metrics). */
const QUEUE_STATS_TIMEOUT_MS = 2_000;

/** One subscription's live consumer: its own channel (so prefetch is per queue), its tag, its unsettled deliveries. */
interface Consumer {
  channel: Channel;
  consumerTag: string;
  inFlight: number;
  /** The channel's acks, one `multiple` ack per event-loop turn. */
  acks: AckBatcher;
}

/**
 * RabbitMQ adapter of the MessageBus port. Declares, per subscription: the durable fanout exchange esn-sabre publishes
 * to, the durable queue bound to it with key "", and the dead-letter exchange + queue, declared **and bound** (the
 * reference never declared the exchange, so its failed messages were silently dropped). Manual acks, prefetch per
 * queue; a failed message is re-queued (through the default exchange, with an attempt header) up to `maxRetries`
 * times, then rejected into its dead-letter queue; a body that is not JSON goes there at once. When the connection
 * drops, it reconnects with exponential backoff, declares everything again and resumes consuming; unacked messages
 * are redelivered by the broker, so handlers are idempotent. A consumer can also vanish while the connection lives (a
 * broker-side cancel, a channel closed by an error): `restartConsumers()`, called by the consumer watchdog
 * (`consumer-watchdog.ts`), starts every consumer again.
 */
export class RabbitMqMessageBus implements MessageBus, HealthCheck {
  readonly componentName = 'RabbitMQ backend';
  private connection: ChannelModel | undefined;
  private publishChannel: Channel | undefined;
  private readonly subscriptions: Subscription[] = [];
  private readonly consumers = new Map<Subscription, Consumer>();
  /** Channels of replaced consumers, closed once their deliveries are settled. */
  private readonly retiring = new Set<Promise<void>>();
  private restarting: Promise<void> | undefined;
  private inFlight = 0;
  private closing = false;
  private reconnecting: Promise<void> | undefined;
  private readonly counters?: { consumed: Counter<'queue'>; failed: Counter<'queue'>; deadLettered: Counter<'queue'> };
  /** Channel of the queue-depth checks (a passive declare of a missing queue closes its channel: made again then). */
  private statsChannel: Promise<Channel> | undefined;

  constructor(private readonly o: RabbitMqBusOptions) {
    if (o.registry) {
      const c = (name: string, help: string) => new Counter({ name, help, labelNames: ['queue'], registers: [o.registry!] });
      this.counters = {
        consumed: c('amqp_messages_consumed_total', 'messages handled successfully, by queue'),
        failed: c('amqp_messages_failed_total', 'handler failures (each attempt), by queue'),
        deadLettered: c('amqp_messages_dead_lettered_total', 'messages sent to their dead-letter queue, by queue'),
      };
      // Lag, read at scrape time: what waits in each consumed queue (from the broker) and what this node holds unacked.
      const bus = this;
      new Gauge({
        name: 'amqp_queue_messages_ready',
        help: 'messages waiting in each consumed queue, as the broker reports them at scrape time (absent while the broker is unreachable)',
        labelNames: ['queue'],
        registers: [o.registry],
        async collect() {
          this.reset();
          for (const [queue, ready] of await bus.queueDepths()) this.set({ queue }, ready);
        },
      });
      new Gauge({
        name: 'amqp_messages_in_flight',
        help: 'messages delivered to this node and not yet settled, by queue',
        labelNames: ['queue'],
        registers: [o.registry],
        collect() {
          this.reset();
          for (const [s, c] of bus.consumers) this.set({ queue: s.queue }, c.inFlight);
        },
      });
    }
  }

  /**
   * Ready messages per consumed queue (passive declares on one channel); queues the broker could not answer for within
   * the timeout are left out rather than reported with a stale or invented figure.
   */
  async queueDepths(): Promise<Map<string, number>> {
    const depths = new Map<string, number>();
    const connection = this.connection;
    if (!connection) return depths;
    const work = (async () => {
      for (const s of this.subscriptions) {
        this.statsChannel ??= connection.createChannel().then((ch) => {
          ch.on('error', () => undefined); // a missing queue closes the channel: reported below, the next check makes a new one
          ch.on('close', () => (this.statsChannel = undefined));
          return ch;
        });
        try {
          depths.set(s.queue, (await (await this.statsChannel).checkQueue(s.queue)).messageCount);
        } catch {
          this.statsChannel = undefined;
        }
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise((r) => (timer = setTimeout(r, QUEUE_STATS_TIMEOUT_MS)))]);
    clearTimeout(timer);
    return new Map(depths);
  }

  async start(): Promise<void> {
    await this.connectOnce();
  }

  async subscribe(s: Subscription): Promise<void> {
    this.subscriptions.push(s);
    if (this.connection) await this.consume(s);
  }

  async publish(exchange: string, payload: unknown, routingKey = ''): Promise<void> {
    if (!this.publishChannel) throw new Error('RabbitMQ is not connected');
    await this.publishChannel.assertExchange(exchange, 'fanout', { durable: true });
    this.publishChannel.publish(exchange, routingKey, Buffer.from(JSON.stringify(payload)));
  }

  async check(): Promise<HealthResult> {
    return this.connection ? { status: 'healthy' } : { status: 'unhealthy', cause: 'not connected to RabbitMQ (reconnecting)' };
  }

  /** The queues this bus consumes (the watchdog checks each one). */
  queues(): string[] {
    return this.subscriptions.map((s) => s.queue);
  }

  /**
   * Starts every consumer again on a fresh channel, whether or not the broker still lists it (the reference restarts
   * them all too). The old consumer is cancelled first; its channel closes once its in-flight messages are acked, so
   * nothing is redelivered needlessly. Concurrent calls share one restart; without a connection this is a no-op (the
   * reconnection loop starts the consumers).
   */
  restartConsumers(): Promise<void> {
    this.restarting ??= (async () => {
      for (const s of this.subscriptions) {
        if (this.closing || !this.connection) return;
        const old = this.consumers.get(s);
        await this.consume(s);
        if (old) this.retire(s, old);
      }
      this.o.logger.warn({ queues: this.subscriptions.length }, 'RabbitMQ consumers restarted');
    })().finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  /**
   * Test hook: cancels a queue's consumer behind the bus's back, as a broker-side cancel or a channel error would
   * (the consumer is gone, the connection stays up). Only the watchdog brings it back.
   */
  async abandonConsumer(queue: string): Promise<void> {
    const entry = [...this.consumers].find(([s]) => s.queue === queue);
    if (!entry) throw new Error(`no consumer on ${queue}`);
    await entry[1].channel.cancel(entry[1].consumerTag);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.restarting?.catch(() => undefined);
    await Promise.allSettled([...this.consumers.values()].map((c) => c.channel.cancel(c.consumerTag)));
    await Promise.allSettled(this.retiring);
    const deadline = Date.now() + 10_000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const c of this.consumers.values()) c.acks.flush();
    await this.connection?.close().catch(() => undefined);
    this.connection = undefined;
  }

  private async connectOnce(): Promise<void> {
    const connection = await connect(this.o.uri);
    connection.on('error', (err: Error) => this.o.logger.warn({ err }, 'RabbitMQ connection error'));
    connection.on('close', () => {
      this.connection = undefined;
      this.publishChannel = undefined;
      this.statsChannel = undefined;
      this.consumers.clear();
      if (!this.closing) void this.reconnect();
    });
    this.connection = connection;
    this.publishChannel = await connection.createChannel();
    for (const s of this.subscriptions) await this.consume(s);
    this.o.logger.info({ queues: this.subscriptions.length }, 'RabbitMQ connected');
  }

  private reconnect(): Promise<void> {
    this.reconnecting ??= (async () => {
      let delay = this.o.minReconnectDelayMs ?? 250;
      while (!this.closing) {
        try {
          await this.connectOnce();
          break;
        } catch (err) {
          this.o.logger.warn({ err, retryInMs: delay }, 'RabbitMQ reconnection failed');
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, this.o.maxReconnectDelayMs ?? 10_000);
        }
      }
    })().finally(() => (this.reconnecting = undefined));
    return this.reconnecting;
  }

  private async consume(s: Subscription): Promise<void> {
    const ch = await this.connection!.createChannel();
    // A channel closed by a protocol error takes its consumer with it; the watchdog notices the queue has none.
    ch.on('error', (err: Error) => this.o.logger.warn({ err, queue: s.queue }, 'RabbitMQ consumer channel error'));
    const dlq = `${s.queue}${s.deadLetterSuffix}`;
    await ch.assertExchange(s.exchange, 'fanout', { durable: true });
    await ch.assertExchange(dlq, 'fanout', { durable: true });
    await ch.assertQueue(dlq, { durable: true, arguments: this.o.queueArguments });
    await ch.bindQueue(dlq, dlq, '');
    await ch.assertQueue(s.queue, { durable: true, arguments: { ...this.o.queueArguments, 'x-dead-letter-exchange': dlq } });
    await ch.bindQueue(s.queue, s.exchange, '');
    await ch.prefetch(s.prefetch ?? this.o.prefetch);
    const acks = new AckBatcher((deliveryTag, multiple) => ch.ack({ fields: { deliveryTag } } as ConsumeMessage, multiple));
    const consumer: Consumer = { channel: ch, consumerTag: '', inFlight: 0, acks };
    const reply = await ch.consume(s.queue, (msg) => {
      if (msg) void this.deliver(consumer, s, msg);
      else this.o.logger.warn({ queue: s.queue }, 'RabbitMQ consumer cancelled by the broker');
    });
    consumer.consumerTag = reply.consumerTag;
    this.consumers.set(s, consumer);
  }

  /** Cancels a replaced consumer and closes its channel once its deliveries are settled (at most 10 s later). */
  private retire(s: Subscription, old: Consumer): void {
    const done = (async () => {
      await old.channel.cancel(old.consumerTag).catch(() => undefined);
      const deadline = Date.now() + 10_000;
      while (old.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      old.acks.flush();
      await old.channel.close().catch(() => undefined);
    })()
      .catch((err) => this.o.logger.warn({ err, queue: s.queue }, 'could not close a replaced consumer channel'))
      .finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  private async deliver(consumer: Consumer, s: Subscription, msg: ConsumeMessage): Promise<void> {
    const ch = consumer.channel;
    const tag = msg.fields.deliveryTag;
    consumer.acks.delivered(tag);
    this.inFlight++;
    consumer.inFlight++;
    const attempt = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
    const log = this.o.logger.child({ queue: s.queue, exchange: msg.fields.exchange, messageId: msg.properties.messageId, attempt });
    try {
      let payload: unknown;
      try {
        payload = JSON.parse(msg.content.toString('utf8'));
      } catch {
        log.error('message body is not JSON: dead-lettered');
        this.counters?.deadLettered.inc({ queue: s.queue });
        ch.nack(msg, false, false);
        consumer.acks.settledElsewhere(tag);
        return;
      }
      const message: BusMessage = { exchange: msg.fields.exchange || s.exchange, routingKey: msg.fields.routingKey, payload, attempt };
      try {
        await s.handler(message, log);
        this.counters?.consumed.inc({ queue: s.queue });
        consumer.acks.ack(tag);
      } catch (err) {
        this.counters?.failed.inc({ queue: s.queue });
        if (attempt <= this.o.maxRetries) {
          log.warn({ err }, 'message handling failed; retrying');
          ch.sendToQueue(s.queue, msg.content, { headers: { ...msg.properties.headers, [ATTEMPT_HEADER]: attempt + 1 }, persistent: true });
          consumer.acks.ack(tag);
        } else {
          log.error({ err }, 'message handling failed; dead-lettered');
          this.counters?.deadLettered.inc({ queue: s.queue });
          ch.nack(msg, false, false);
          consumer.acks.settledElsewhere(tag);
        }
      }
    } catch (err) {
      // The channel died under us (broker restart): the broker redelivers the unacked message after reconnection.
      log.warn({ err }, 'could not settle message; it will be redelivered');
    } finally {
      this.inFlight--;
      consumer.inFlight--;
    }
  }
}

/**
 * Queue arguments of spec events-mail.md 1.4 (mind the inverted key). `fallbackClassicQueuesV1` (JVM property
 * `fallback.classic.queues.v1`) drops `x-queue-version` for brokers that predate classic queues v2.
 */
export function calendarQueueArguments(
  quorumBypass: boolean,
  quorum: { enabled: boolean; replicationFactor: number },
  fallbackClassicQueuesV1 = false,
): Record<string, unknown> {
  if (!quorumBypass) return fallbackClassicQueuesV1 ? {} : { 'x-queue-version': 2 };
  return quorum.enabled ? { 'x-queue-type': 'quorum', 'x-quorum-initial-group-size': quorum.replicationFactor } : {};
}
