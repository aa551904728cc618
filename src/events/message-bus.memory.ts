import type { Logger } from 'pino';
import type { BusMessage, MessageBus, Subscription } from './message-bus.js';

/**
 * In-process bus with RabbitMQ's semantics as sidecal uses them (embedded mode and fast tests): fanout exchanges,
 * one queue per subscription, handlers retried up to `maxRetries` then dead-lettered into `<queue><suffix>`, bounded
 * parallelism per queue (prefetch). `close` waits for in-flight handlers.
 */
export class MemoryMessageBus implements MessageBus {
  private readonly queues = new Map<string, QueueState>();
  private readonly bindings = new Map<string, Set<string>>();
  /** Dead-lettered messages by dead-letter queue name (inspectable, like RabbitMQ's DLQs). */
  readonly deadLetters = new Map<string, BusMessage[]>();
  private closed = false;

  constructor(private readonly options: { logger: Logger; maxRetries?: number; prefetch?: number }) {}

  async subscribe(s: Subscription): Promise<void> {
    const existing = this.queues.get(s.queue);
    if (existing) {
      existing.subscription = s;
      return;
    }
    this.queues.set(s.queue, { subscription: s, pending: [], inFlight: 0, idle: [] });
    const bound = this.bindings.get(s.exchange) ?? new Set<string>();
    bound.add(s.queue);
    this.bindings.set(s.exchange, bound);
  }

  async publish(exchange: string, payload: unknown, routingKey = ''): Promise<void> {
    if (this.closed) throw new Error('message bus closed');
    // Serialise as RabbitMQ would: what a consumer gets is a fresh JSON value, never the publisher's object.
    const body = JSON.stringify(payload);
    for (const queue of this.bindings.get(exchange) ?? []) {
      const state = this.queues.get(queue)!;
      state.pending.push({ exchange, routingKey, payload: JSON.parse(body) as unknown, attempt: 1 });
      this.drain(state);
    }
  }

  /** Resolves once every queue is empty and no handler runs (tests wait on it instead of sleeping). */
  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => (q.pending.length === 0 && q.inFlight === 0 ? undefined : new Promise<void>((r) => q.idle.push(r)))));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private drain(state: QueueState): void {
    const prefetch = state.subscription.prefetch ?? this.options.prefetch ?? 16;
    while (state.inFlight < prefetch && state.pending.length > 0) {
      const message = state.pending.shift()!;
      state.inFlight++;
      void this.deliver(state, message).finally(() => {
        state.inFlight--;
        this.drain(state);
        if (state.inFlight === 0 && state.pending.length === 0) for (const r of state.idle.splice(0)) r();
      });
    }
  }

  private async deliver(state: QueueState, message: BusMessage): Promise<void> {
    const { subscription } = state;
    const log = this.options.logger.child({ queue: subscription.queue, exchange: message.exchange, attempt: message.attempt });
    try {
      await subscription.handler(message, log);
    } catch (err) {
      const maxRetries = this.options.maxRetries ?? 3;
      if (message.attempt <= maxRetries) {
        log.warn({ err }, 'message handling failed; retrying');
        state.pending.push({ ...message, attempt: message.attempt + 1 });
      } else {
        const dlq = `${subscription.queue}${subscription.deadLetterSuffix}`;
        log.error({ err, deadLetterQueue: dlq }, 'message dead-lettered');
        this.deadLetters.set(dlq, [...(this.deadLetters.get(dlq) ?? []), message]);
      }
    }
  }
}

interface QueueState {
  subscription: Subscription;
  pending: BusMessage[];
  inFlight: number;
  idle: (() => void)[];
}
