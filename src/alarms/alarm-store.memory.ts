import { systemClock, type Clock } from '../core/clock.js';
import { leaseKey, type AlarmEntry, type AlarmLease, type AlarmStore } from './alarm-store.js';

/**
 * Entries by key plus an array kept sorted by alarmTime, latest first, so that the due entries sit at its end:
 * `findDue` costs O(log n + due) like the indexed MongoDB query, and removing a due entry shifts only the few after it.
 */
export class MemoryAlarmStore implements AlarmStore {
  private readonly entries = new Map<string, AlarmEntry>();
  /** Sorted by alarmTime descending. */
  private readonly byTime: AlarmEntry[] = [];

  async find(eventUid: string, recipient: string): Promise<AlarmEntry | undefined> {
    const e = this.entries.get(key(eventUid, recipient));
    return e && clone(e);
  }

  async upsert(entry: AlarmEntry): Promise<void> {
    this.remove(key(entry.eventUid, entry.recipient));
    const stored = clone(entry);
    this.entries.set(key(entry.eventUid, entry.recipient), stored);
    this.byTime.splice(this.countLaterThan(stored.alarmTime.getTime()), 0, stored);
  }

  async delete(eventUid: string, recipient: string): Promise<void> {
    this.remove(key(eventUid, recipient));
  }

  async findDue(now: Date, limit: number): Promise<AlarmEntry[]> {
    const firstDue = this.countLaterThan(now.getTime());
    const out: AlarmEntry[] = [];
    for (let i = this.byTime.length - 1; i >= firstDue && out.length < limit; i--) out.push(clone(this.byTime[i]!));
    return out;
  }

  async count(): Promise<number> {
    return this.entries.size;
  }

  private remove(k: string): void {
    const current = this.entries.get(k);
    if (!current) return;
    this.entries.delete(k);
    for (let i = this.countLaterThan(current.alarmTime.getTime()); i < this.byTime.length; i++) {
      if (this.byTime[i] === current) {
        this.byTime.splice(i, 1);
        return;
      }
    }
  }

  /** How many entries have an alarmTime strictly later than t (they come first in the array). */
  private countLaterThan(t: number): number {
    let lo = 0;
    let hi = this.byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.byTime[mid]!.alarmTime.getTime() > t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
