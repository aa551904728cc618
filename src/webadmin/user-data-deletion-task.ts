import type { Logger } from 'pino';
import type { UserStore } from '../storage/user-store.js';
import type { Task } from '../tasks/task.js';

/** One step of James's user-data deletion: steps run by ascending priority; a throw fails the step and the task. */
export interface UserDataDeletionStep {
  readonly name: string;
  readonly priority: number;
  run(username: string): Promise<void>;
}

export type StepState = 'WAITING' | 'IN_PROGRESS' | 'DONE' | 'FAILED' | 'ABORTED' | 'SKIPPED';

/** esn-sabre side of the deletion (spec dav-ldap-config.md C10), acting as the user; `userId` is the OpenPaaS id. */
export interface DavUserData {
  deleteCalendars(email: string, userId: string): Promise<void>;
  deleteContacts(email: string, userId: string): Promise<void>;
}

/** The search index side: every indexed event whose `accountId` is the username. */
export interface UserEventIndex {
  deleteAll(accountId: string): Promise<void>;
}

/**
 * The four steps of the reference (spec webadmin.md 2.3). DAV steps need the OpenPaaS user id: a user never registered
 * in OpenPaaS has no DAV home, so those steps have nothing to do. The OpenPaaS step runs last so the id is still there.
 */
export function userDataDeletionSteps(deps: { users: UserStore; dav: DavUserData; index: UserEventIndex }): UserDataDeletionStep[] {
  const withUser = (action: (email: string, id: string) => Promise<void>) => async (username: string) => {
    const user = await deps.users.retrieveByUsername(username);
    if (user) await action(username, user.id);
  };
  return [
    { name: 'DavCalendarDeletionTaskStep', priority: 1, run: withUser((e, id) => deps.dav.deleteCalendars(e, id)) },
    { name: 'DavContactDeletionTaskStep', priority: 2, run: withUser((e, id) => deps.dav.deleteContacts(e, id)) },
    { name: 'CalendarSearchDeletionTaskStep', priority: 10, run: (u) => deps.index.deleteAll(u) },
    { name: 'OpenPaaSUserDeletionTaskStep', priority: 1000, run: (u) => deps.users.delete(u) },
  ];
}

/** `DeleteUserDataTask`: resumable with `fromStep` (earlier steps SKIPPED); after a failure the rest is ABORTED. */
export class DeleteUserDataTask implements Task {
  readonly type = 'DeleteUserDataTask';
  private readonly steps: UserDataDeletionStep[];
  private readonly states = new Map<string, StepState>();

  constructor(
    private readonly username: string,
    steps: UserDataDeletionStep[],
    private readonly fromStep: string | undefined,
    private readonly logger: Logger,
  ) {
    this.steps = [...steps].sort((a, b) => a.priority - b.priority);
    const start = fromStep === undefined ? undefined : this.steps.find((s) => s.name === fromStep);
    for (const s of this.steps) this.states.set(s.name, start && s.priority < start.priority ? 'SKIPPED' : 'WAITING');
  }

  details(): Record<string, unknown> {
    return { username: this.username, status: Object.fromEntries(this.states), fromStep: this.fromStep ?? null };
  }

  async run(signal: AbortSignal): Promise<'completed' | 'partial'> {
    let failure: unknown;
    for (const step of this.steps) {
      if (this.states.get(step.name) === 'SKIPPED') continue;
      if (failure !== undefined || signal.aborted) {
        this.states.set(step.name, 'ABORTED');
        continue;
      }
      this.states.set(step.name, 'IN_PROGRESS');
      try {
        await step.run(this.username);
        this.states.set(step.name, 'DONE');
      } catch (err) {
        this.logger.error({ err, step: step.name, username: this.username }, 'user data deletion step failed');
        this.states.set(step.name, 'FAILED');
        failure = err;
      }
    }
    if (failure !== undefined) throw failure;
    return 'completed';
  }
}
