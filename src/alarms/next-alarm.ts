import ICAL from 'ical.js';
import type { AlarmEntry } from './alarm-store.js';
import { zonedToUtc } from './timezones.js';

/**
 * The next alarm email of a calendar object for one user (spec events-mail.md 2.2), with the behaviour a user expects
 * where the reference cut corners (documented in docs/compatibility.md):
 * - EMAIL VALARMs; relative triggers from the start (or the end with RELATED=END), absolute triggers, DURATION/REPEAT;
 * - recurring events expanded one year ahead (all-day series too), EXDATEs dropped, overrides replacing their
 *   occurrence, cancelled occurrences skipped;
 * - the user must have accepted (a declined or cancelled occurrence is skipped and the next one used); an event with
 *   no ATTENDEE at all is the user's own and alarms;
 * - recipients are the VALARM's ATTENDEEs, or the user when it names none;
 * - TZID read with the IANA database (unknown → UnknownTimezoneError); floating and all-day times in the user's zone.
 */
export interface NextAlarm {
  eventUid: string;
  alarmTime: Date;
  eventStartTime: Date;
  recurring: boolean;
  recurrenceId?: string;
  recipients: string[];
}

const HORIZON_MS = 366 * 86_400_000;
const MAX_ITERATIONS = 20_000;

export function computeNextAlarm(ics: string, user: string, now: Date, userTimezone: string): NextAlarm | undefined {
  const vcalendar = new ICAL.Component(ICAL.parse(ics));
  const vevents = vcalendar.getAllSubcomponents('vevent');
  if (vevents.length === 0) return undefined;
  const uid = String(vevents[0]!.getFirstPropertyValue('uid') ?? '');
  const masters = vevents.filter((v) => !v.hasProperty('recurrence-id'));
  const master = masters.find((v) => v.hasProperty('rrule'));
  const recurring = vevents.length > 1 || master !== undefined;
  const me = user.toLowerCase();
  let best: NextAlarm | undefined;
  const consider = (item: ICAL.Component, start: ICAL.Time, end: ICAL.Time, recurrenceId: string | undefined) => {
    if (!participates(item, me)) return;
    const startUtc = toInstant(start, item, 'dtstart', userTimezone);
    const endUtc = toInstant(end, item, item.hasProperty('dtend') ? 'dtend' : 'dtstart', userTimezone);
    for (const alarm of alarmsOf(item, startUtc, endUtc, userTimezone)) {
      if (alarm.time.getTime() <= now.getTime()) continue;
      if (!best || alarm.time < best.alarmTime) {
        best = { eventUid: uid, alarmTime: alarm.time, eventStartTime: startUtc, recurring, recipients: alarm.recipients.length ? alarm.recipients : [me] };
        if (recurrenceId !== undefined) best.recurrenceId = recurrenceId;
      }
    }
  };

  if (!master) {
    // Several VEVENTs without RRULE: the newest version of the object wins.
    const item = newest(masters.length ? masters : vevents);
    const event = new ICAL.Event(item);
    consider(item, event.startDate, event.endDate, undefined);
    return best;
  }
  const event = new ICAL.Event(master);
  for (const override of vevents.filter((v) => v.hasProperty('recurrence-id'))) event.relateException(override);
  const iterator = event.iterator();
  const horizon = now.getTime() + HORIZON_MS;
  for (let i = 0, next = iterator.next(); next && i < MAX_ITERATIONS; i++, next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    const startUtc = toInstant(details.startDate, details.item.component, 'dtstart', userTimezone);
    if (startUtc.getTime() > horizon) break;
    // Alarms fire before the start (or a little after it): occurrences more than a week old cannot alarm any more.
    if (startUtc.getTime() < now.getTime() - 7 * 86_400_000) continue;
    const recurrenceId = icsText(details.recurrenceId, master, userTimezone);
    consider(details.item.component, details.startDate, details.endDate, recurrenceId);
    if (best && startUtc.getTime() > best.alarmTime.getTime() + 7 * 86_400_000) break;
  }
  return best;
}

/**
 * The stored entries of a next alarm, one per recipient; with a non-empty `mail.imip.recipient.whitelist`, only the
 * recipients it names (case-insensitive).
 */
export function alarmEntries(next: NextAlarm, ics: string, eventPath: string, whitelist: readonly string[]): AlarmEntry[] {
  const allowed = whitelist.map((w) => w.toLowerCase());
  return next.recipients
    .filter((r) => allowed.length === 0 || allowed.includes(r))
    .map((recipient) => {
      const entry: AlarmEntry = { eventUid: next.eventUid, recipient, alarmTime: next.alarmTime, eventStartTime: next.eventStartTime, recurring: next.recurring, ics, eventPath };
      if (next.recurrenceId !== undefined) entry.recurrenceId = next.recurrenceId;
      return entry;
    });
}

function participates(item: ICAL.Component, me: string): boolean {
  if (String(item.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return false;
  const attendees = item.getAllProperties('attendee');
  if (attendees.length === 0) return true;
  const mine = attendees.find((a) => address(a.getFirstValue()) === me);
  if (mine) return String(mine.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase() === 'ACCEPTED';
  // The organizer of a meeting they did not list themselves in still wants its reminders.
  const organizer = item.getFirstProperty('organizer');
  return organizer !== null && address(organizer.getFirstValue()) === me;
}

function alarmsOf(item: ICAL.Component, start: Date, end: Date, userTimezone: string): { time: Date; recipients: string[] }[] {
  const out: { time: Date; recipients: string[] }[] = [];
  for (const valarm of item.getAllSubcomponents('valarm')) {
    if (String(valarm.getFirstPropertyValue('action') ?? '').toUpperCase() !== 'EMAIL') continue;
    const trigger = valarm.getFirstProperty('trigger');
    if (!trigger) continue;
    const value = trigger.getFirstValue() as unknown;
    let first: Date;
    if (value instanceof ICAL.Duration) {
      const base = String(trigger.getParameter('related') ?? 'START').toUpperCase() === 'END' ? end : start;
      first = new Date(base.getTime() + value.toSeconds() * 1000);
    } else if (value instanceof ICAL.Time) {
      first = toInstant(value, valarm, 'trigger', userTimezone);
    } else continue;
    const recipients = valarm.getAllProperties('attendee').map((a) => address(a.getFirstValue())).filter((a) => a !== '');
    out.push({ time: first, recipients });
    const repeat = Number(valarm.getFirstPropertyValue('repeat') ?? 0);
    const every = valarm.getFirstPropertyValue('duration') as unknown;
    if (repeat > 0 && every instanceof ICAL.Duration && every.toSeconds() > 0) {
      for (let k = 1; k <= Math.min(repeat, 100); k++) out.push({ time: new Date(first.getTime() + k * every.toSeconds() * 1000), recipients });
    }
  }
  return out;
}

/** An ICAL.Time as an instant: `Z` is UTC, a TZID parameter names the zone, floating and all-day use the user's zone. */
function toInstant(time: ICAL.Time, component: ICAL.Component, prop: string, userTimezone: string): Date {
  if (time.zone === ICAL.Timezone.utcTimezone) return time.toJSDate();
  const tzid = time.isDate ? undefined : (component.getFirstProperty(prop)?.getParameter('tzid') as string | undefined);
  return zonedToUtc(
    { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : time.second },
    tzid ?? userTimezone,
  );
}

/** RECURRENCE-ID as ICS writes it: `20250908T080000Z` in UTC, or local form for dates. */
function icsText(time: ICAL.Time, master: ICAL.Component, userTimezone: string): string {
  if (time.isDate) return time.toICALString();
  const utc = toInstant(time, master, 'dtstart', userTimezone);
  return utc.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function newest(vevents: ICAL.Component[]): ICAL.Component {
  const rank = (v: ICAL.Component) => [
    Number(v.getFirstPropertyValue('sequence') ?? 0),
    timeValue(v.getFirstPropertyValue('last-modified')),
    timeValue(v.getFirstPropertyValue('dtstamp')),
  ];
  return [...vevents].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (rb[i] as number) - (ra[i] as number);
    return 0;
  })[0]!;
}

function timeValue(v: unknown): number {
  return v instanceof ICAL.Time ? v.toUnixTime() : 0;
}

function address(v: unknown): string {
  return String(v ?? '').replace(/^mailto:/i, '').trim().toLowerCase();
}
