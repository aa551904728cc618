import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../core/clock.js';
import { NotFoundError, TimeoutError } from '../core/errors.js';
import type { Task, TaskExecution, TaskFilter, TaskManager, TaskStatus } from './task.js';

interface Entry {
  task: Task;
  execution: TaskExecution;
  controller: AbortController;
  done: Promise<void>;
  resolveDone: () => void;
}

const FINAL: readonly TaskStatus[] = ['completed', 'canceled', 'failed'];

/** Node-local FIFO worker, as James's MemoryTaskManager: tasks are lost on restart and seen only on this node. */
export class MemoryTaskManager implements TaskManager {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private running: Entry | undefined;
  private closed = false;

  constructor(
    private readonly options: { clock?: Clock; node?: string; logger?: Logger } = {},
  ) {}

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }
  private get node(): string {
    return this.options.node ?? hostname();
  }

  async submit(task: Task): Promise<string> {
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const entry: Entry = {
      task,
      controller: new AbortController(),
      done,
      resolveDone,
      execution: {
        taskId: randomUUID(),
        type: task.type,
        status: 'waiting',
        submittedFrom: this.node,
        executedOn: null,
        cancelledFrom: null,
        additionalInformation: null,
        submitDate: this.clock.now(),
      },
    };
    this.entries.set(entry.execution.taskId, entry);
    this.queue.push(entry);
    this.pump();
    return entry.execution.taskId;
  }

  async get(id: string): Promise<TaskExecution | undefined> {
    const entry = this.entries.get(id);
    return entry && this.snapshot(entry);
  }

  async list(filter: TaskFilter = {}): Promise<TaskExecution[]> {
    const within = (d: Date | undefined, before?: Date, after?: Date) =>
      (before === undefined && after === undefined) || (d !== undefined && (!before || d < before) && (!after || d > after));
    const all = [...this.entries.values()]
      .map((e) => this.snapshot(e))
      .filter((x) => !filter.status || x.status === filter.status)
      .filter((x) => !filter.type || x.type === filter.type)
      .filter((x) => within(x.submitDate, filter.submittedBefore, filter.submittedAfter))
      .filter((x) => within(x.startedDate, filter.startedBefore, filter.startedAfter))
      .filter((x) => within(x.completedDate, filter.completedBefore, filter.completedAfter))
      .filter((x) => within(x.failedDate, filter.failedBefore, filter.failedAfter))
      .reverse();
    const offset = filter.offset ?? 0;
    return all.slice(offset, filter.limit === undefined ? undefined : offset + filter.limit);
  }

  async cancel(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    const ex = entry.execution;
    if (ex.status === 'waiting') {
      this.queue.splice(this.queue.indexOf(entry), 1);
      Object.assign(ex, { status: 'canceled', cancelledFrom: this.node, canceledDate: this.clock.now() });
      entry.resolveDone();
    } else if (ex.status === 'inProgress') {
      Object.assign(ex, { status: 'canceledRequested', cancelledFrom: this.node });
      entry.controller.abort();
    }
  }

  async await(id: string, timeoutMs: number): Promise<TaskExecution> {
    const entry = this.entries.get(id);
    if (!entry) throw new NotFoundError('The taskId is not found', { webadminType: 'ServerError' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), Math.min(timeoutMs, 2 ** 31 - 1))));
    const result = await Promise.race([entry.done.then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') throw new TimeoutError('The timeout has been reached', { webadminType: 'ServerError' });
    return this.snapshot(entry);
  }

  /** Requests cancellation of the running task and waits for it; waiting tasks are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.queue.splice(0)) {
      Object.assign(entry.execution, { status: 'canceled', canceledDate: this.clock.now(), cancelledFrom: this.node });
      entry.resolveDone();
    }
    const running = this.running;
    if (running) {
      running.controller.abort();
      await running.done;
    }
  }

  private snapshot(entry: Entry): TaskExecution {
    const ex = { ...entry.execution };
    const details = entry.task.details?.();
    ex.additionalInformation = details === undefined ? ex.additionalInformation : { type: entry.task.type, timestamp: this.clock.now().toISOString(), ...details };
    return ex;
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    void this.execute(next).finally(() => {
      this.running = undefined;
      next.resolveDone();
      this.pump();
    });
  }

  private async execute(entry: Entry): Promise<void> {
    const ex = entry.execution;
    Object.assign(ex, { status: 'inProgress', executedOn: this.node, startedDate: this.clock.now() });
    const log = this.options.logger?.child({ taskId: ex.taskId, taskType: ex.type });
    try {
      const result = await entry.task.run(entry.controller.signal);
      if (entry.controller.signal.aborted) this.finish(ex, 'canceled');
      else this.finish(ex, result === 'completed' ? 'completed' : 'failed');
    } catch (err) {
      if (entry.controller.signal.aborted) this.finish(ex, 'canceled');
      else {
        log?.error({ err }, 'task failed');
        this.finish(ex, 'failed');
      }
    }
    log?.info({ status: ex.status }, 'task finished');
  }

  private finish(ex: TaskExecution, status: 'completed' | 'failed' | 'canceled'): void {
    if (FINAL.includes(ex.status)) return;
    const now = this.clock.now();
    ex.status = status;
    if (status === 'completed') ex.completedDate = now;
    else if (status === 'failed') ex.failedDate = now;
    else ex.canceledDate = now;
  }
}
