import type { Logger } from 'pino';
import type { UserStore } from '../storage/user-store.js';
import { eventsPerSecondOf, ownEventGroups, Pace, type CalendarExporter } from '../tasks/calendar-walk.js';
import type { Task } from '../tasks/task.js';
import type { TaskFactory } from '../webadmin/calendar-tasks-routes.js';
import { documentsFromIcs } from './event-document.js';
import type { EventSearch } from './event-search.js';

export interface ReindexDeps {
  users: Pick<UserStore, 'list'>;
  exporter: CalendarExporter;
  search: EventSearch;
  logger: Logger;
}

/**
 * `POST /calendars?task=reindex[&eventsPerSecond=N]` (spec webadmin.md 3.4, storage.md 3.8 core): for every user,
 * drop their indexed events, export each of their own calendars, group VEVENTs by UID and index each group, throttled
 * to `eventsPerSecond` groups per second. Any user-, calendar- or event-level failure makes the task fail (after
 * finishing the others), as the reference does.
 */
export class ReindexEventsTask implements Task {
  readonly type = 'reindex-calendar-events';
  private processed = 0;
  private failed = 0;

  constructor(
    private readonly deps: ReindexDeps,
    private readonly eventsPerSecond: number,
  ) {}

  details(): Record<string, unknown> {
    return { processedEventCount: this.processed, failedEventCount: this.failed };
  }

  async run(signal: AbortSignal): Promise<'completed' | 'partial'> {
    let broken = false;
    const pace = new Pace(this.eventsPerSecond);
    for (const user of await this.deps.users.list()) {
      if (signal.aborted) return 'partial';
      try {
        await this.deps.search.deleteAll(user.username);
        for await (const { calendar, group } of ownEventGroups(this.deps.exporter, user)) {
          if (signal.aborted) return 'partial';
          await pace.next();
          try {
            await this.deps.search.index(documentsFromIcs(group.ics, user.username, `${calendar.homeId}/${calendar.calendarId}`));
            this.processed++;
          } catch (err) {
            this.failed++;
            this.deps.logger.warn({ err, uid: group.uid, user: user.username }, 'reindex: event failed');
          }
        }
      } catch (err) {
        broken = true;
        this.deps.logger.error({ err, user: user.username }, 'reindex: user failed');
      }
    }
    if (broken || this.failed > 0) throw new Error(`reindex finished with failures (${this.failed} failed events)`);
    return 'completed';
  }
}

export function reindexTaskFactory(deps: ReindexDeps): TaskFactory {
  return async (request) => new ReindexEventsTask(deps, eventsPerSecondOf(request.query.eventsPerSecond));
}
