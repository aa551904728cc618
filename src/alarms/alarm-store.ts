/**
 * Upcoming alarm emails (`twake_calendar_alarm_events`), one entry per (event UID, recipient).
 * Guarantees: `upsert` replaces the entry of (eventUid, recipient) or inserts it; `delete` is idempotent and touches
 * only that pair; `findDue(now, limit)` returns entries with alarmTime <= now, earliest first, at most `limit`, through
 * an index on alarmTime (its cost grows with the number due, not the number stored); dates keep ms precision.
 */
export interface AlarmEntry {
  eventUid: string;
  recipient: string;
  alarmTime: Date;
  eventStartTime: Date;
  recurring: boolean;
  recurrenceId?: string;
  ics: string;
  /** DAV path of the calendar object (later field; "" when unknown). */
  eventPath?: string;
}

export interface AlarmStore {
  find(eventUid: string, recipient: string): Promise<AlarmEntry | undefined>;
  upsert(entry: AlarmEntry): Promise<void>;
  delete(eventUid: string, recipient: string): Promise<void>;
  findDue(now: Date, limit: number): Promise<AlarmEntry[]>;
  count(): Promise<number>;
}

/**
 * The cluster lease (`twake_calendar_alarm_events_ledge`): at most one node sends a given (eventUid, recipient,
 * alarmTime). `acquire` is false when another holder's lease has not expired; `release` frees only that key.
 */
export interface AlarmLease {
  acquire(entry: Pick<AlarmEntry, 'eventUid' | 'recipient' | 'alarmTime'>, ttlMs: number): Promise<boolean>;
  release(entry: Pick<AlarmEntry, 'eventUid' | 'recipient' | 'alarmTime'>): Promise<void>;
}

export function leaseKey(e: Pick<AlarmEntry, 'eventUid' | 'recipient' | 'alarmTime'>): string {
  return `${e.eventUid}\u0000${e.recipient.toLowerCase()}\u0000${e.alarmTime.getTime()}`;
}
