import type { Collection, Db } from 'mongodb';
import { systemClock, type Clock } from '../core/clock.js';
import { ensureIndex, isDuplicateKey } from '../storage/mongo.js';
import type { AlarmEntry, AlarmLease, AlarmStore } from './alarm-store.js';

interface AlarmDoc extends AlarmEntry {
  action?: string;
}

interface LeaseDoc {
  eventUid: string;
  alarmTime: Date;
  recipient: string;
  createdAt: Date;
  expiresAt: Date;
}

/** `twake_calendar_alarm_events`, shared with the Java reference's documents. */
export class MongoAlarmStore implements AlarmStore {
  private readonly col: Collection<AlarmDoc>;

  constructor(db: Db) {
    this.col = db.collection<AlarmDoc>('twake_calendar_alarm_events');
  }

  async init(): Promise<void> {
    // Non-unique as in core: a database written by the reference may hold duplicates a unique index would reject.
    await this.col.createIndex({ eventUid: 1, recipient: 1 });
    await this.col.createIndex({ alarmTime: 1 });
  }

  async find(eventUid: string, recipient: string): Promise<AlarmEntry | undefined> {
    const doc = await this.col.findOne({ eventUid, recipient }, { projection: { _id: 0 } });
    return doc ? toEntry(doc) : undefined;
  }

  async upsert(entry: AlarmEntry): Promise<void> {
    const doc: AlarmDoc = { ...entry, eventPath: entry.eventPath ?? '', action: 'EMAIL' };
    if (entry.recurrenceId === undefined) delete doc.recurrenceId;
    await this.col.replaceOne({ eventUid: entry.eventUid, recipient: entry.recipient }, doc, { upsert: true });
  }

  async delete(eventUid: string, recipient: string): Promise<void> {
    await this.col.deleteMany({ eventUid, recipient });
  }

  async findDue(now: Date, limit: number): Promise<AlarmEntry[]> {
    const docs = await this.col.find({ alarmTime: { $lte: now } }, { projection: { _id: 0 } }).sort({ alarmTime: 1 }).limit(limit).toArray();
    return docs.map(toEntry);
  }

  async count(): Promise<number> {
    return this.col.countDocuments();
  }

  /** Bulk load (re-scheduling tasks and benchmarks); entries must be new. */
  async insertMany(entries: AlarmEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += 1000) {
      await this.col.insertMany(entries.slice(i, i + 1000).map((e) => ({ ...e, eventPath: e.eventPath ?? '', action: 'EMAIL' })), { ordered: false });
    }
  }
}

/** `twake_calendar_alarm_events_ledge` (sic): a unique insert is the lease; the TTL index reaps expired rows. */
export class MongoAlarmLease implements AlarmLease {
  private readonly col: Collection<LeaseDoc>;

  constructor(
    db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    this.col = db.collection<LeaseDoc>('twake_calendar_alarm_events_ledge');
  }

  async init(): Promise<void> {
    await this.col.createIndex({ eventUid: 1, recipient: 1, alarmTime: 1 }, { unique: true, name: 'uniq_event_alarm_recipient' });
    await ensureIndex(this.col, { expiresAt: 1 }, { expireAfterSeconds: 0, name: 'ttl_expiresAt' });
  }

  async acquire(entry: Pick<AlarmEntry, 'eventUid' | 'recipient' | 'alarmTime'>, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const key = { eventUid: entry.eventUid, recipient: entry.recipient.toLowerCase(), alarmTime: entry.alarmTime };
    if (await this.tryInsert(key, now, ttlMs)) return true;
    // TTL deletion lags by up to a minute: an expired row is taken over explicitly rather than waited for. Only then,
    // so that the usual acquire (no row) costs one round trip.
    const reaped = await this.col.deleteOne({ ...key, expiresAt: { $lte: now } });
    return reaped.deletedCount === 1 && (await this.tryInsert(key, now, ttlMs));
  }

  private async tryInsert(key: Pick<LeaseDoc, 'eventUid' | 'recipient' | 'alarmTime'>, now: Date, ttlMs: number): Promise<boolean> {
    try {
      await this.col.insertOne({ ...key, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async release(entry: Pick<AlarmEntry, 'eventUid' | 'recipient' | 'alarmTime'>): Promise<void> {
    await this.col.deleteOne({ eventUid: entry.eventUid, recipient: entry.recipient.toLowerCase(), alarmTime: entry.alarmTime });
  }
}

function toEntry(doc: AlarmDoc): AlarmEntry {
  const e: AlarmEntry = {
    eventUid: doc.eventUid,
    recipient: doc.recipient,
    alarmTime: doc.alarmTime,
    eventStartTime: doc.eventStartTime,
    recurring: doc.recurring,
    ics: doc.ics,
    eventPath: doc.eventPath ?? '',
  };
  if (doc.recurrenceId !== undefined && doc.recurrenceId !== null) e.recurrenceId = doc.recurrenceId;
  return e;
}
