import { systemClock, type Clock } from '../core/clock.js';
import { leaseKey, type AlarmEntry, type AlarmLease, type AlarmStore } from './alarm-store.js';

export class MemoryAlarmStore implements AlarmStore {
  private readonly entries = new Map<string, AlarmEntry>();

  async find(eventUid: string, recipient: string): Promise<AlarmEntry | undefined> {
    const e = this.entries.get(key(eventUid, recipient));
    return e && clone(e);
  }

  async upsert(entry: AlarmEntry): Promise<void> {
    this.entries.set(key(entry.eventUid, entry.recipient), clone(entry));
  }

  async delete(eventUid: string, recipient: string): Promise<void> {
    this.entries.delete(key(eventUid, recipient));
  }

  async findDue(now: Date, limit: number): Promise<AlarmEntry[]> {
    return [...this.entries.values()]
      .filter((e) => e.alarmTime.getTime() <= now.getTime())
      .sort((a, b) => a.alarmTime.getTime() - b.alarmTime.getTime())
      .slice(0, limit)
      .map(clone);
  }

  async count(): Promise<number> {
    return this.entries.size;
  }
}

/** Node-local lease with expiry: enough for one process running several schedulers (and for the contract suite). */
export class MemoryAlarmLease implements AlarmLease {
  private readonly leases = new Map<string, number>();

  constructor(private readonly clock: Clock = systemClock) {}

  async acquire(entry: Pick<AlarmEntry, 'eventUid' | 'recipient' | 'alarmTime'>, ttlMs: number): Promise<boolean> {
    const k = leaseKey(entry);
    const now = this.clock.now().getTime();
    const until = this.leases.get(k);
    if (until !== undefined && until > now) return false;
    this.leases.set(k, now + ttlMs);
    return true;
  }

  async release(entry: Pick<AlarmEntry, 'eventUid' | 'recipient' | 'alarmTime'>): Promise<void> {
    this.leases.delete(leaseKey(entry));
  }
}

function key(uid: string, recipient: string): string {
  return `${uid}\u0000${recipient}`;
}

function clone(e: AlarmEntry): AlarmEntry {
  return { ...e, alarmTime: new Date(e.alarmTime), eventStartTime: new Date(e.eventStartTime) };
}
