import type { Logger } from 'pino';

/**
 * The messaging port between esn-sabre's RabbitMQ exchanges and sidecal's consumers. Two adapters: RabbitMQ
 * (`message-bus.rabbitmq.ts`) and an in-process bus (`message-bus.memory.ts`) for the embedded mode and fast tests.
 *
 * Guarantees of every adapter:
 * - `subscribe` declares what it needs (durable fanout exchange, durable queue bound with key "", its dead-letter
 *   exchange + queue) before resolving; publishing to the exchange afterwards reaches the handler.
 * - A handler that resolves acks the message. A handler that throws has the message retried up to the adapter's
 *   retry budget, then dead-lettered (kept in `<queue><deadLetterSuffix>`), never silently dropped, never blocking the
 *   queue. A body that is not JSON is dead-lettered at once.
 * - Handlers must be idempotent: a message may be delivered again after a reconnection.
 */
export interface BusMessage {
  exchange: string;
  routingKey: string;
  /** Parsed JSON body. */
  payload: unknown;
  /** Delivery attempt, 1 for the first. */
  attempt: number;
}

export type MessageHandler = (message: BusMessage, log: Logger) => Promise<void>;

export interface Subscription {
  /** The exchange esn-sabre publishes to, e.g. `calendar:event:created`. */
  exchange: string;
  /** The queue sidecal consumes, e.g. `tcalendar:event:created:search`. */
  queue: string;
  /** `-dead-letter` for the search queues, `:dead-letter` for the others (spec events-mail.md 1.3). */
  deadLetterSuffix: '-dead-letter' | ':dead-letter';
  handler: MessageHandler;
  /** Parallel deliveries (AMQP prefetch); default from rabbitmq.properties, 16. */
  prefetch?: number;
}

export interface MessageBus {
  subscribe(subscription: Subscription): Promise<void>;
  /** Publishes a JSON body (tests, and sidecal's own publications). */
  publish(exchange: string, payload: unknown, routingKey?: string): Promise<void>;
  /** Stops consuming, lets in-flight handlers finish and ack, closes connections. */
  close(): Promise<void>;
}
