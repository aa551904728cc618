import type { Logger } from 'pino';
import type { CalDavClient } from '../dav/caldav-client.js';
import type { UserStore } from '../storage/user-store.js';
import { davExporter, eventsPerSecondOf, ownEventGroups, Pace, type CalendarExporter } from '../tasks/calendar-walk.js';
import type { Task } from '../tasks/task.js';
import type { TaskFactory } from '../webadmin/calendar-tasks-routes.js';
import type { AlarmSettings } from './alarm-ports.js';
import type { AlarmStore } from './alarm-store.js';
import { alarmEntries, computeNextAlarm } from './next-alarm.js';

export interface ScheduleAlarmsDeps {
  users: UserStore;
  caldav: Pick<CalDavClient, 'listCalendars' | 'export'>;
  store: AlarmStore;
  settings: AlarmSettings;
  whitelist: readonly string[];
  now: () => Date;
  logger: Logger;
}

/**
 * `POST /calendars?task=scheduleAlarms[&eventsPerSecond=N]` (spec webadmin.md 3.5, events-mail.md 2.6): for every
 * registered user and calendar, export it, group VEVENTs by UID, and insert the next alarm of each event unless an
 * entry already exists for (event UID, recipient). Events without a future alarm still count as processed.
 */
export class ScheduleAlarmsTask implements Task {
  readonly type = 'schedule-alarms';
  private readonly exporter: CalendarExporter;
  private processed = 0;
  private failed = 0;

  constructor(
    private readonly deps: ScheduleAlarmsDeps,
    private readonly eventsPerSecond: number,
  ) {
    this.exporter = davExporter(deps.caldav);
  }

  details(): Record<string, unknown> {
    return { processedEventCount: this.processed, failedEventCount: this.failed };
  }

  async run(signal: AbortSignal): Promise<'completed' | 'partial'> {
    let partial = false;
    const pace = new Pace(this.eventsPerSecond);
    for (const user of await this.deps.users.list()) {
      if (signal.aborted) return 'partial';
      try {
        const settings = await this.deps.settings.forUser(user.username);
        if (!settings.alarmEmails) continue;
        for await (const { calendar, group } of ownEventGroups(this.exporter, user)) {
          if (signal.aborted) return 'partial';
          await pace.next();
          await this.scheduleOne(user.username, `/calendars/${calendar.homeId}/${calendar.calendarId}/${group.uid}.ics`, group.ics, settings.timezone);
        }
      } catch (err) {
        partial = true;
        this.deps.logger.error({ err, user: user.username }, 'scheduleAlarms: user failed');
      }
    }
    return partial || this.failed > 0 ? 'partial' : 'completed';
  }

  private async scheduleOne(owner: string, eventPath: string, ics: string, timezone: string): Promise<void> {
    try {
      const next = computeNextAlarm(ics, owner, this.deps.now(), timezone);
      for (const entry of next ? alarmEntries(next, ics, eventPath, this.deps.whitelist) : []) {
        if (!(await this.deps.store.find(entry.eventUid, entry.recipient))) await this.deps.store.upsert(entry);
      }
      this.processed++;
    } catch (err) {
      this.failed++;
      this.deps.logger.warn({ err, eventPath }, 'scheduleAlarms: event failed');
    }
  }
}

/** The `task=scheduleAlarms` factory: validates `eventsPerSecond` (a strictly positive integer, default 100). */
export function scheduleAlarmsTaskFactory(deps: ScheduleAlarmsDeps): TaskFactory {
  return async (request) => new ScheduleAlarmsTask(deps, eventsPerSecondOf(request.query.eventsPerSecond));
}
