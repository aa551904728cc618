import { setTimeout as sleep } from 'node:timers/promises';
import { groupIcsByUid, type UidGroup } from '../calendar/import-parse.js';
import { BadRequestError } from '../core/errors.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import { INVALID_ARGUMENTS } from '../http/webadmin-errors.js';

/**
 * What the calendar-wide webadmin tasks (`POST /calendars?task=reindex|scheduleAlarms`, spec webadmin.md 3.4/3.5)
 * share: the `eventsPerSecond` parameter, the pace it sets, and the walk over a user's own calendars one VEVENT group
 * (master and overrides of one UID) at a time.
 */

type TaskUser = { id: string; username: string };
type CalendarId = { homeId: string; calendarId: string };

/** What the tasks need from esn-sabre: a user's calendars and each one's ICS export. */
export interface CalendarExporter {
  listCalendars(user: TaskUser): Promise<CalendarId[]>;
  exportCalendar(user: TaskUser, calendar: CalendarId): Promise<string>;
}

/** The tasks' view of esn-sabre over the DAV client, as each user (like the reference). */
export function davExporter(caldav: Pick<CalDavClient, 'listCalendars' | 'export'>): CalendarExporter {
  return {
    listCalendars: (user) => caldav.listCalendars(user.username, user.id),
    exportCalendar: async (user, cal) => (await caldav.export({ kind: 'user', email: user.username }, cal.homeId, cal.calendarId)).toString('utf8'),
  };
}

/**
 * The VEVENT groups of the calendars the user owns; shared and subscribed calendars are left to their owner's walk.
 * A failing listing or export is thrown to the loop consuming the groups.
 */
export async function* ownEventGroups(exporter: CalendarExporter, user: TaskUser): AsyncGenerator<{ calendar: CalendarId; group: UidGroup }> {
  for (const calendar of await exporter.listCalendars(user)) {
    if (calendar.homeId !== user.id) continue;
    const ics = await exporter.exportCalendar(user, calendar);
    if (ics.trim() === '') continue;
    for (const group of groupIcsByUid(ics)) yield { calendar, group };
  }
}

/** Paces a loop to at most `perSecond` turns a second, counted from the first turn. */
export class Pace {
  private started: number | undefined;
  private turns = 0;

  constructor(private readonly perSecond: number) {}

  async next(): Promise<void> {
    this.started ??= Date.now();
    const wait = this.started + (this.turns++ * 1000) / this.perSecond - Date.now();
    if (wait > 0) await sleep(wait);
  }
}

/** `eventsPerSecond`: a strictly positive integer, 100 when absent. */
export function eventsPerSecondOf(raw: string | undefined): number {
  if (raw === undefined) return 100;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
    throw new BadRequestError(INVALID_ARGUMENTS, {
      details: "Illegal value supplied for query parameter 'eventsPerSecond', expecting a strictly positive optional integer",
    });
  }
  return Number(raw);
}
