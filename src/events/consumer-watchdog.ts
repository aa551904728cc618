import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { JvmProperties, RabbitMqConfig } from '../config/config-types.js';

/** What the watchdog needs from the bus: the queues it consumes, and a way to start all their consumers again. */
export interface RestartableConsumers {
  queues(): string[];
  restartConsumers(): Promise<void>;
}

export interface ConsumerWatchdogOptions {
  consumers: RestartableConsumers;
  /** `management.uri`; credentials written in it are used when `user` is not given. */
  managementUri: string;
  user?: string;
  password?: string;
  /** The AMQP URI, whose path names the vhost (`/` when absent). */
  amqpUri: string;
  /** `scheduled.consumer.reconnection.interval`. */
  intervalMs: number;
  /** JVM property `scheduled.consumer.reconnection.delayStartUp`. */
  delayStartUpMs: number;
  /**
   * Pause after a restart before the next check (the reference's 30 s): the management API reports consumers from
   * statistics that lag by seconds, so checking sooner would see the new consumers as missing and restart again.
   */
  pauseAfterRestartMs?: number;
  /** Per request; a management API that does not answer in time counts as unreachable for this period. */
  requestTimeoutMs?: number;
  logger: Logger;
  registry?: Registry;
}

export type CheckResult = 'ok' | 'restarted' | 'unreachable';

const SERVER_ERROR_ATTEMPTS = 3;

/**
 * The consumer watchdog of spec events-mail.md 1.4 (the reference's ScheduledReconnectionHandler). A consumer can be
 * lost while the AMQP connection stays up (broker-side cancel, a channel closed by an error), and nothing else would
 * notice: after `delayStartUpMs`, then every `intervalMs`, it asks the RabbitMQ management API for each consumed queue
 * (`GET /api/queues/{vhost}/{queue}`) and, if any has no consumer, restarts all of them. A queue the API does not know
 * (404) counts as fine; a 5xx is retried; an unreachable API is logged and tried again next period. Unlike the
 * reference, whose stream ends at the first error, it never stops checking until closed. Checks never overlap.
 */
export class ConsumerWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly vhost: string;
  private readonly restarts?: Counter;
  private readonly checks?: Counter<'result'>;

  constructor(private readonly o: ConsumerWatchdogOptions) {
    const url = new URL(o.managementUri);
    const user = o.user ?? (url.username ? decodeURIComponent(url.username) : undefined);
    const password = o.password ?? (url.password ? decodeURIComponent(url.password) : '');
    // fetch refuses URLs that carry credentials: they go into the Authorization header instead.
    url.username = '';
    url.password = '';
    this.baseUrl = url.href.replace(/\/+$/, '');
    this.authorization = user === undefined ? undefined : `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    this.vhost = vhostOf(o.amqpUri);
    if (o.registry) {
      this.restarts = new Counter({ name: 'amqp_consumer_restarts_total', help: 'restarts of all consumers by the consumer watchdog', registers: [o.registry] });
      this.checks = new Counter({ name: 'amqp_consumer_watchdog_checks_total', help: 'consumer watchdog checks by result', labelNames: ['result'], registers: [o.registry] });
    }
  }

  start(): void {
    this.schedule(this.o.delayStartUpMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
  }

  /** Resolves once the running check, if any, is over and the next one scheduled. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** One pass: every queue asked, consumers restarted if one has none. */
  async check(): Promise<CheckResult> {
    let unreachable = false;
    const missing: string[] = [];
    for (const queue of this.o.consumers.queues()) {
      if (this.closed) return 'ok';
      const state = await this.queueState(queue);
      if (state === 'unreachable') unreachable = true;
      else if (state === 'no-consumer') missing.push(queue);
    }
    if (missing.length > 0 && !this.closed) {
      this.o.logger.warn({ queues: missing }, 'queues without consumer: restarting all consumers');
      await this.o.consumers.restartConsumers();
      this.restarts?.inc();
      return 'restarted';
    }
    return unreachable ? 'unreachable' : 'ok';
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      let next = this.o.intervalMs;
      this.running = this.check()
        .then((result) => {
          this.checks?.inc({ result });
          if (result === 'restarted') next = Math.max(next, this.o.pauseAfterRestartMs ?? 30_000);
        })
        .catch((err) => this.o.logger.warn({ err }, 'consumer watchdog check failed; trying again next period'))
        .finally(() => {
          this.running = undefined;
          this.schedule(next);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async queueState(queue: string): Promise<'consumed' | 'no-consumer' | 'unknown' | 'unreachable'> {
    const url = `${this.baseUrl}/api/queues/${encodeURIComponent(this.vhost)}/${encodeURIComponent(queue)}`;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { accept: 'application/json', ...(this.authorization ? { authorization: this.authorization } : {}) },
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.o.requestTimeoutMs ?? 10_000)]),
        });
      } catch (err) {
        if (!this.closed) this.o.logger.warn({ err, queue }, 'RabbitMQ management API unreachable: consumers not checked this period');
        return 'unreachable';
      }
      const body = await res.text().catch(() => '');
      if (res.status === 404) return 'unknown';
      if (res.status >= 500 && attempt < SERVER_ERROR_ATTEMPTS && !this.closed) {
        await new Promise((r) => setTimeout(r, 200 * attempt).unref());
        continue;
      }
      if (!res.ok) {
        this.o.logger.warn({ queue, status: res.status }, 'RabbitMQ management API error: consumers not checked this period');
        return 'unreachable';
      }
      return consumerCount(body) === 0 ? 'no-consumer' : 'consumed';
    }
  }
}

/** The watchdog rabbitmq.properties asks for, or undefined (disabled, or no management API to ask). */
export function consumerWatchdogFor(
  rabbit: RabbitMqConfig,
  jvm: JvmProperties,
  consumers: RestartableConsumers,
  logger: Logger,
  registry?: Registry,
): ConsumerWatchdog | undefined {
  if (!rabbit.reconnectionEnabled) return undefined;
  if (rabbit.managementUri === undefined) {
    logger.warn('consumer watchdog off: scheduled.consumer.reconnection.enabled=true but management.uri is not set');
    return undefined;
  }
  return new ConsumerWatchdog({
    consumers,
    managementUri: rabbit.managementUri,
    user: rabbit.managementUser,
    password: rabbit.managementPassword,
    amqpUri: rabbit.uri,
    intervalMs: rabbit.reconnectionIntervalMs,
    delayStartUpMs: jvm.watchdogDelayStartUpMs,
    logger,
    registry,
  });
}

/** `consumer_details` as the reference reads it; `consumers` when statistics are off. undefined: cannot tell. */
function consumerCount(body: string): number | undefined {
  try {
    const json = JSON.parse(body) as { consumer_details?: unknown; consumers?: unknown };
    if (Array.isArray(json.consumer_details)) return json.consumer_details.length;
    return typeof json.consumers === 'number' ? json.consumers : undefined;
  } catch {
    return undefined;
  }
}

/** The vhost an AMQP URI names, as amqplib reads it: the path without its `/`, URL-decoded; `/` when empty. */
export function vhostOf(amqpUri: string): string {
  const path = new URL(amqpUri).pathname.slice(1);
  return path === '' ? '/' : decodeURIComponent(path);
}
