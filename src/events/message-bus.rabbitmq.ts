import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { HealthCheck, HealthResult } from '../health/health-check.js';
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

/**
 * RabbitMQ adapter of the MessageBus port. Declares, per subscription: the durable fanout exchange esn-sabre publishes
 * to, the durable queue bound to it with key "", and the dead-letter exchange + queue, declared **and bound** (the
 * reference never declared the exchange, so its failed messages were silently dropped). Manual acks, prefetch per
 * queue; a failed message is re-queued (through the default exchange, with an attempt header) up to `maxRetries`
 * times, then rejected into its dead-letter queue; a body that is not JSON goes there at once. When the connection
 * drops, it reconnects with exponential backoff, declares everything again and resumes consuming; unacked messages
 * are redelivered by the broker, so handlers are idempotent.
 */
export class RabbitMqMessageBus implements MessageBus, HealthCheck {
  readonly componentName = 'RabbitMQ backend';
  private connection: ChannelModel | undefined;
  private publishChannel: Channel | undefined;
  private readonly subscriptions: Subscription[] = [];
  private readonly consumerChannels: Channel[] = [];
  private inFlight = 0;
  private closing = false;
  private reconnecting: Promise<void> | undefined;
  private readonly counters?: { consumed: Counter<'queue'>; failed: Counter<'queue'>; deadLettered: Counter<'queue'> };

  constructor(private readonly o: RabbitMqBusOptions) {
    if (o.registry) {
      const c = (name: string, help: string) => new Counter({ name, help, labelNames: ['queue'], registers: [o.registry!] });
      this.counters = {
        consumed: c('amqp_messages_consumed_total', 'messages handled successfully, by queue'),
        failed: c('amqp_messages_failed_total', 'handler failures (each attempt), by queue'),
        deadLettered: c('amqp_messages_dead_lettered_total', 'messages sent to their dead-letter queue, by queue'),
      };
    }
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

  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(this.consumerChannels.map(async (ch) => {
      for (const tag of (ch as Channel & { consumerTags?: string[] }).consumerTags ?? []) await ch.cancel(tag);
    }));
    const deadline = Date.now() + 10_000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await this.connection?.close().catch(() => undefined);
    this.connection = undefined;
  }

  private async connectOnce(): Promise<void> {
    const connection = await connect(this.o.uri);
    connection.on('error', (err: Error) => this.o.logger.warn({ err }, 'RabbitMQ connection error'));
    connection.on('close', () => {
      this.connection = undefined;
      this.publishChannel = undefined;
      this.consumerChannels.splice(0);
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
    this.consumerChannels.push(ch);
    const dlq = `${s.queue}${s.deadLetterSuffix}`;
    await ch.assertExchange(s.exchange, 'fanout', { durable: true });
    await ch.assertExchange(dlq, 'fanout', { durable: true });
    await ch.assertQueue(dlq, { durable: true, arguments: this.o.queueArguments });
    await ch.bindQueue(dlq, dlq, '');
    await ch.assertQueue(s.queue, { durable: true, arguments: { ...this.o.queueArguments, 'x-dead-letter-exchange': dlq } });
    await ch.bindQueue(s.queue, s.exchange, '');
    await ch.prefetch(s.prefetch ?? this.o.prefetch);
    const reply = await ch.consume(s.queue, (msg) => {
      if (msg) void this.deliver(ch, s, msg);
    });
    (ch as Channel & { consumerTags?: string[] }).consumerTags = [reply.consumerTag];
  }

  private async deliver(ch: Channel, s: Subscription, msg: ConsumeMessage): Promise<void> {
    this.inFlight++;
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
        return;
      }
      const message: BusMessage = { exchange: msg.fields.exchange || s.exchange, routingKey: msg.fields.routingKey, payload, attempt };
      try {
        await s.handler(message, log);
        this.counters?.consumed.inc({ queue: s.queue });
        ch.ack(msg);
      } catch (err) {
        this.counters?.failed.inc({ queue: s.queue });
        if (attempt <= this.o.maxRetries) {
          log.warn({ err }, 'message handling failed; retrying');
          ch.sendToQueue(s.queue, msg.content, { headers: { ...msg.properties.headers, [ATTEMPT_HEADER]: attempt + 1 }, persistent: true });
          ch.ack(msg);
        } else {
          log.error({ err }, 'message handling failed; dead-lettered');
          this.counters?.deadLettered.inc({ queue: s.queue });
          ch.nack(msg, false, false);
        }
      }
    } catch (err) {
      // The channel died under us (broker restart): the broker redelivers the unacked message after reconnection.
      log.warn({ err }, 'could not settle message; it will be redelivered');
    } finally {
      this.inFlight--;
    }
  }
}

/** Queue arguments of spec events-mail.md 1.4 (mind the inverted key). */
export function calendarQueueArguments(quorumBypass: boolean, quorum: { enabled: boolean; replicationFactor: number }): Record<string, unknown> {
  if (!quorumBypass) return { 'x-queue-version': 2 };
  return quorum.enabled ? { 'x-queue-type': 'quorum', 'x-quorum-initial-group-size': quorum.replicationFactor } : {};
}
