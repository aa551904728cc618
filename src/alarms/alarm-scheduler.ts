import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../core/clock.js';
import type { AlarmMailer, AlarmSettings } from './alarm-ports.js';
import type { AlarmEntry, AlarmLease, AlarmStore } from './alarm-store.js';
import { computeNextAlarm } from './next-alarm.js';

export interface AlarmSchedulerOptions {
  store: AlarmStore;
  /** Cluster mode; undefined in single mode (one node only). */
  lease: AlarmLease | undefined;
  mailer: AlarmMailer;
  settings: AlarmSettings;
  clock: Clock;
  logger: Logger;
  batchSize: number;
  pollIntervalMs: number;
  initialJitterMaxMs: number;
  leaseTtlMs: number;
  registry?: Registry;
  /** Parallel sends within a tick. */
  concurrency?: number;
}

export interface TickResult {
  due: number;
  sent: number;
  outdated: number;
  disabled: number;
  leasedElsewhere: number;
  failed: number;
}

/**
 * Polls due alarms (spec events-mail.md 2.4) with an indexed query, leases each one in cluster mode so two nodes never
 * send it twice, sends it, then advances it (next occurrence or repetition computed from the stored ICS) or deletes it.
 * At least once: a failure releases the lease and the entry stays due; a node dying after the lease leaves the entry
 * due, and another node sends it once the lease expired. Ticks never overlap.
 */
export class AlarmScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private closed = false;
  private readonly sent?: Counter<'result'>;

  constructor(private readonly o: AlarmSchedulerOptions) {
    if (o.registry) {
      this.sent = new Counter({ name: 'calendar_alarm', help: 'alarm emails by result', labelNames: ['result'], registers: [o.registry] });
    }
  }

  start(): void {
    this.schedule(Math.random() * this.o.initialJitterMaxMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((err) => this.o.logger.error({ err }, 'alarm tick failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.o.pollIntervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** One pass over the due alarms. */
  async tick(): Promise<TickResult> {
    const now = this.o.clock.now();
    const due = await this.o.store.findDue(now, this.o.batchSize);
    const result: TickResult = { due: due.length, sent: 0, outdated: 0, disabled: 0, leasedElsewhere: 0, failed: 0 };
    const queue = [...due];
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        const outcome = await this.process(entry, now);
        result[outcome]++;
        this.sent?.inc({ result: outcome });
      }
    };
    await Promise.all(Array.from({ length: this.o.concurrency ?? 4 }, worker));
    if (result.due > 0) this.o.logger.info(result, 'alarm tick');
    return result;
  }

  private async process(entry: AlarmEntry, now: Date): Promise<Exclude<keyof TickResult, 'due'>> {
    const log = this.o.logger.child({ eventUid: entry.eventUid, recipient: entry.recipient });
    if (this.o.lease && !(await this.o.lease.acquire(entry, this.o.leaseTtlMs))) return 'leasedElsewhere';
    try {
      const settings = await this.o.settings.forUser(entry.recipient);
      let outcome: 'sent' | 'outdated' | 'disabled';
      if (isOutdated(entry, now)) outcome = 'outdated';
      else if (!settings.alarmEmails) outcome = 'disabled';
      else {
        await this.o.mailer.sendAlarm({ entry, recipient: entry.recipient, language: settings.language, timezone: settings.timezone, now });
        outcome = 'sent';
      }
      await this.advance(entry, now, settings.timezone);
      log.info({ outcome }, 'alarm processed');
      return outcome;
    } catch (err) {
      log.error({ err }, 'alarm failed; it stays due and is retried');
      await this.o.lease?.release(entry).catch((e) => log.error({ err: e }, 'lease release failed'));
      return 'failed';
    }
  }

  /** Next repetition or occurrence from the stored ICS, else the entry goes. */
  private async advance(entry: AlarmEntry, now: Date, timezone: string): Promise<void> {
    const next = computeNextAlarm(entry.ics, entry.recipient, new Date(Math.max(now.getTime(), entry.alarmTime.getTime())), timezone);
    if (!next) {
      await this.o.store.delete(entry.eventUid, entry.recipient);
      return;
    }
    const advanced: AlarmEntry = { ...entry, alarmTime: next.alarmTime, eventStartTime: next.eventStartTime, recurring: next.recurring };
    delete advanced.recurrenceId;
    if (next.recurrenceId !== undefined) advanced.recurrenceId = next.recurrenceId;
    await this.o.store.upsert(advanced);
  }
}

/** An alarm whose event already started is not sent after a stop (a trigger set after the start gets 10 minutes). */
function isOutdated(entry: AlarmEntry, now: Date): boolean {
  if (entry.alarmTime.getTime() > entry.eventStartTime.getTime()) return now.getTime() - entry.alarmTime.getTime() > 10 * 60_000;
  return entry.eventStartTime.getTime() < now.getTime();
}
