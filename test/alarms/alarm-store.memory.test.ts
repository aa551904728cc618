import { MemoryAlarmLease, MemoryAlarmStore } from '../../src/alarms/alarm-store.memory.js';
import { FakeClock } from '../../src/core/clock.js';
import { alarmLeaseContract, alarmStoreContract } from './alarm-store.contract.js';

alarmStoreContract('MemoryAlarmStore', async () => new MemoryAlarmStore());
alarmLeaseContract('MemoryAlarmLease', async () => {
  const clock = new FakeClock('2026-11-24T08:00:00Z');
  return { lease: new MemoryAlarmLease(clock), clock };
});
