import type { Logger } from 'pino';
import { eventsPerSecondOf } from '../alarms/schedule-alarms-task.js';
import { groupIcsByUid } from '../calendar/import-parse.js';
import type { UserStore } from '../storage/user-store.js';
import type { Task } from '../tasks/task.js';
import type { TaskFactory } from '../webadmin/calendar-tasks-routes.js';
import { documentsFromIcs } from './event-document.js';
import type { EventSearch } from './event-search.js';

/** What the reindex needs from esn-sabre: a user's calendars and each one's ICS export. */
export interface CalendarExporter {
  listCalendars(user: { id: string; username: string }): Promise<{ homeId: string; calendarId: string }[]>;
  exportCalendar(user: { id: string; username: string }, calendar: { homeId: string; calendarId: string }): Promise<string>;
}

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
    const started = Date.now();
    for (const user of await this.deps.users.list()) {
      if (signal.aborted) return 'partial';
      try {
        await this.deps.search.deleteAll(user.username);
        for (const calendar of await this.deps.exporter.listCalendars(user)) {
          if (calendar.homeId !== user.id) continue; // shared/subscribed calendars are indexed for their owner
          const ics = await this.deps.exporter.exportCalendar(user, calendar);
          if (ics.trim() === '') continue;
          for (const group of groupIcsByUid(ics)) {
            if (signal.aborted) return 'partial';
            await this.throttle(started);
            try {
              await this.deps.search.index(documentsFromIcs(group.ics, user.username, `${calendar.homeId}/${calendar.calendarId}`));
              this.processed++;
            } catch (err) {
              this.failed++;
              this.deps.logger.warn({ err, uid: group.uid, user: user.username }, 'reindex: event failed');
            }
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

  private async throttle(started: number): Promise<void> {
    const wait = started + ((this.processed + this.failed) * 1000) / this.eventsPerSecond - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

export function reindexTaskFactory(deps: ReindexDeps): TaskFactory {
  return async (request) => new ReindexEventsTask(deps, eventsPerSecondOf(request.query.eventsPerSecond));
}
