/** A unit of background work run by the TaskManager (James task model). A throw means `failed`. */
export interface Task {
  readonly type: string;
  run(signal: AbortSignal): Promise<'completed' | 'partial'>;
  /** Live progress for `additionalInformation` (recomputed on every read); undefined when the task has none. */
  details?(): Record<string, unknown>;
}

export type TaskStatus = 'waiting' | 'inProgress' | 'canceledRequested' | 'completed' | 'canceled' | 'failed';
export const TASK_STATUSES: readonly TaskStatus[] = ['waiting', 'inProgress', 'canceledRequested', 'completed', 'canceled', 'failed'];

export interface TaskExecution {
  taskId: string;
  type: string;
  status: TaskStatus;
  submittedFrom: string;
  executedOn: string | null;
  cancelledFrom: string | null;
  additionalInformation: Record<string, unknown> | null;
  submitDate: Date;
  startedDate?: Date;
  completedDate?: Date;
  failedDate?: Date;
  canceledDate?: Date;
}

export interface TaskFilter {
  status?: TaskStatus;
  type?: string;
  submittedBefore?: Date;
  submittedAfter?: Date;
  startedBefore?: Date;
  startedAfter?: Date;
  completedBefore?: Date;
  completedAfter?: Date;
  failedBefore?: Date;
  failedAfter?: Date;
  offset?: number;
  limit?: number;
}

/**
 * Guarantees: tasks run one at a time in submission order; `get` of an unknown id is undefined; `cancel` of a waiting
 * task cancels it at once, of a running one requests it (the task's signal aborts), of an unknown or finished one does
 * nothing; `await` resolves with the final execution or rejects with TimeoutError / NotFoundError; `list` is newest
 * submission first; illegal status moves are ignored.
 */
export interface TaskManager {
  submit(task: Task): Promise<string>;
  get(id: string): Promise<TaskExecution | undefined>;
  list(filter?: TaskFilter): Promise<TaskExecution[]>;
  cancel(id: string): Promise<void>;
  await(id: string, timeoutMs: number): Promise<TaskExecution>;
  close(): Promise<void>;
}
