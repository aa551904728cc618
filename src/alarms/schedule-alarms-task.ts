import type { Logger } from 'pino';
import { groupIcsByUid } from '../calendar/import-parse.js';
import { BadRequestError } from '../core/errors.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import type { UserStore } from '../storage/user-store.js';
import type { Task } from '../tasks/task.js';
import type { TaskFactory } from '../webadmin/calendar-tasks-routes.js';
import type { AlarmSettings } from './alarm-ports.js';
import type { AlarmStore } from './alarm-store.js';
import { computeNextAlarm } from './next-alarm.js';

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
  private processed = 0;
  private failed = 0;

  constructor(
    private readonly deps: ScheduleAlarmsDeps,
    private readonly eventsPerSecond: number,
  ) {}

  details(): Record<string, unknown> {
    return { processedEventCount: this.processed, failedEventCount: this.failed };
  }

  async run(signal: AbortSignal): Promise<'completed' | 'partial'> {
    let partial = false;
    const started = Date.now();
    for (const user of await this.deps.users.list()) {
      if (signal.aborted) return 'partial';
      try {
        const settings = await this.deps.settings.forUser(user.username);
        if (!settings.alarmEmails) continue;
        for (const cal of await this.deps.caldav.listCalendars(user.username, user.id)) {
          if (cal.homeId !== user.id) continue; // shared calendars are scheduled for their owner
          const ics = (await this.deps.caldav.export({ kind: 'user', email: user.username }, cal.homeId, cal.calendarId)).toString('utf8');
          if (ics.trim() === '') continue;
          for (const group of groupIcsByUid(ics)) {
            if (signal.aborted) return 'partial';
            await this.throttle(started);
            await this.scheduleOne(user.username, `/calendars/${cal.homeId}/${cal.calendarId}/${group.uid}.ics`, group.ics, settings.timezone);
          }
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
      const allowed = this.deps.whitelist.map((w) => w.toLowerCase());
      for (const recipient of next?.recipients.filter((r) => allowed.length === 0 || allowed.includes(r)) ?? []) {
        if (await this.deps.store.find(next!.eventUid, recipient)) continue;
        const entry = { eventUid: next!.eventUid, recipient, alarmTime: next!.alarmTime, eventStartTime: next!.eventStartTime, recurring: next!.recurring, ics, eventPath };
        await this.deps.store.upsert(next!.recurrenceId === undefined ? entry : { ...entry, recurrenceId: next!.recurrenceId });
      }
      this.processed++;
    } catch (err) {
      this.failed++;
      this.deps.logger.warn({ err, eventPath }, 'scheduleAlarms: event failed');
    }
  }

  private async throttle(started: number): Promise<void> {
    const due = started + ((this.processed + this.failed) * 1000) / this.eventsPerSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

/** The `task=scheduleAlarms` factory: validates `eventsPerSecond` (a strictly positive integer, default 100). */
export function scheduleAlarmsTaskFactory(deps: ScheduleAlarmsDeps): TaskFactory {
  return async (request) => new ScheduleAlarmsTask(deps, eventsPerSecondOf(request.query.eventsPerSecond));
}

export function eventsPerSecondOf(raw: string | undefined): number {
  if (raw === undefined) return 100;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
    throw new BadRequestError('Invalid arguments supplied in the user request', {
      details: "Illegal value supplied for query parameter 'eventsPerSecond', expecting a strictly positive optional integer",
    });
  }
  return Number(raw);
}
