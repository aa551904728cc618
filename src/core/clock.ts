/** Time comes from an injected clock so that expiry, tasks and alarms are testable without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at a given instant and only moves when told. */
export class FakeClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2025-09-05T08:00:00.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }
}
