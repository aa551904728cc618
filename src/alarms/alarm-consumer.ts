import ICAL from 'ical.js';
import type { Logger } from 'pino';
import type { BusMessage, MessageBus } from '../events/message-bus.js';
import { ALARM_QUEUES, OTHER_DEAD_LETTER_SUFFIX } from '../events/topology.js';
import type { UserStore } from '../storage/user-store.js';
import type { AlarmSettings, CalendarObjectSource } from './alarm-ports.js';
import type { AlarmStore } from './alarm-store.js';
import { alarmEntries, computeNextAlarm } from './next-alarm.js';
import { UnknownTimezoneError } from './timezones.js';

export interface AlarmConsumerDeps {
  store: AlarmStore;
  users: UserStore;
  settings: AlarmSettings;
  /** esn-sabre read of the object; without it the message's own event is used. */
  source?: CalendarObjectSource;
  /** `mail.imip.recipient.whitelist`: when non-empty, only these recipients get entries. */
  whitelist: readonly string[];
  now: () => Date;
}

interface AlarmPayload {
  eventPath: string;
  event?: unknown;
  rawEvent?: string;
}

/** Subscribes the five alarm queues of spec events-mail.md 1.3 / 1.5.3. */
export async function registerAlarmConsumers(bus: MessageBus, deps: AlarmConsumerDeps): Promise<void> {
  for (const { exchange, queue } of ALARM_QUEUES.upsert) {
    await bus.subscribe({ exchange, queue, deadLetterSuffix: OTHER_DEAD_LETTER_SUFFIX, handler: (m, log) => handleAlarmUpsert(deps, m, log) });
  }
  for (const { exchange, queue } of ALARM_QUEUES.remove) {
    await bus.subscribe({ exchange, queue, deadLetterSuffix: OTHER_DEAD_LETTER_SUFFIX, handler: (m, log) => handleAlarmRemove(deps, m, log) });
  }
}

export async function handleAlarmUpsert(deps: AlarmConsumerDeps, message: BusMessage, log: Logger): Promise<void> {
  const payload = parsePayload(message.payload);
  const owner = await ownerOf(deps.users, payload.eventPath);
  if (!owner) return log.info({ eventPath: payload.eventPath }, 'alarm: calendar owner unknown, ignored');
  const settings = await deps.settings.forUser(owner);
  if (!settings.alarmEmails) return log.info('alarm: alarm emails disabled by the user');
  const ics = payload.rawEvent ?? (deps.source ? await deps.source.fetch(owner, payload.eventPath) : icsOf(payload.event));
  if (!ics) return log.info({ eventPath: payload.eventPath }, 'alarm: calendar object gone');
  let next;
  try {
    next = computeNextAlarm(ics, owner, deps.now(), settings.timezone);
  } catch (err) {
    // A zone nobody can resolve will not resolve on a retry either: log it loudly and move on.
    if (err instanceof UnknownTimezoneError) return log.error({ err, eventPath: payload.eventPath }, 'alarm: unknown time zone, not scheduled');
    throw err;
  }
  const uid = uidOf(ics);
  if (!next) {
    await deps.store.delete(uid, owner);
    return;
  }
  for (const entry of alarmEntries(next, ics, payload.eventPath, deps.whitelist)) await deps.store.upsert(entry);
}

export async function handleAlarmRemove(deps: AlarmConsumerDeps, message: BusMessage, log: Logger): Promise<void> {
  const payload = parsePayload(message.payload);
  const owner = await ownerOf(deps.users, payload.eventPath);
  if (!owner) return log.info({ eventPath: payload.eventPath }, 'alarm: calendar owner unknown, ignored');
  const ics = payload.rawEvent ?? icsOf(payload.event);
  if (!ics) throw new Error('alarm removal without an event');
  await deps.store.delete(uidOf(ics), owner);
}

function parsePayload(payload: unknown): AlarmPayload {
  const p = payload as Partial<AlarmPayload> | null;
  if (!p || typeof p !== 'object' || typeof p.eventPath !== 'string') throw new Error('alarm message without eventPath');
  return { eventPath: p.eventPath, event: p.event, rawEvent: typeof p.rawEvent === 'string' ? p.rawEvent : undefined };
}

/** `/calendars/{homeId}/{calendarId}/{object}.ics`: the home id is the owner's OpenPaaS id. */
async function ownerOf(users: UserStore, eventPath: string): Promise<string | undefined> {
  const m = /^\/?calendars\/([^/]+)\/[^/]+\/[^/]+$/.exec(eventPath);
  if (!m) throw new Error(`invalid eventPath ${eventPath}`);
  return (await users.retrieveById(m[1] as string))?.username;
}

function icsOf(jcal: unknown): string | undefined {
  if (!Array.isArray(jcal)) return undefined;
  return new ICAL.Component(jcal as unknown[]).toString();
}

function uidOf(ics: string): string {
  const vevent = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent');
  const uid = vevent?.getFirstPropertyValue('uid');
  if (!uid) throw new Error('calendar object without UID');
  return String(uid);
}
