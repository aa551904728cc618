/**
 * Alarm scheduler pass: 1,000 due alarms among 100,000 stored, as a ratio to 1,000 due among 1,000 stored, measured in
 * the same run on the same store. Target: under 2 (the due query is indexed, so its cost follows the number due).
 *
 *   npm run bench:alarms              # MongoDB-wire server from the test harness (FerretDB), or MONGO_URL if set
 *   npm run bench:alarms -- --memory  # the in-memory store
 *   BENCH_DUE=20 npm run bench:alarms # smaller scale (due alarms; stored = 100 × due)
 */
import { pino } from 'pino';
import { startAll } from '../test/harness/backends.js';
import type { AlarmMailer } from '../src/alarms/alarm-ports.js';
import { defaultAlarmSettings } from '../src/alarms/alarm-ports.js';
import { AlarmScheduler } from '../src/alarms/alarm-scheduler.js';
import { MemoryAlarmLease, MemoryAlarmStore } from '../src/alarms/alarm-store.memory.js';
import { MongoAlarmLease, MongoAlarmStore } from '../src/alarms/alarm-store.mongo.js';
import type { AlarmEntry, AlarmLease, AlarmStore } from '../src/alarms/alarm-store.js';
import { FakeClock } from '../src/core/clock.js';
import { connectMongo } from '../src/storage/mongo.js';

const NOW = new Date('2026-11-24T08:45:00Z');
const DUE = Number(process.env.BENCH_DUE ?? 1_000);
const ICS = (uid: string) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:bench', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTART:20261124T090000Z', 'DTEND:20261124T100000Z',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@linagora.com', 'BEGIN:VALARM', 'ACTION:EMAIL', 'TRIGGER:-PT15M',
    'ATTENDEE:mailto:alice@linagora.com', 'END:VALARM', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

function entry(uid: string, due: boolean): AlarmEntry {
  const alarmTime = due ? new Date(NOW.getTime() - 60_000) : new Date(NOW.getTime() + 86_400_000 + Math.random() * 86_400_000 * 30);
  return { eventUid: uid, recipient: 'alice@linagora.com', alarmTime, eventStartTime: new Date(alarmTime.getTime() + 15 * 60_000), recurring: false, ics: ICS(uid) };
}

async function pass(store: AlarmStore, lease: AlarmLease, clock: FakeClock): Promise<number> {
  let sent = 0;
  const mailer: AlarmMailer = { sendAlarm: async () => void sent++ };
  const scheduler = new AlarmScheduler({
    store, lease, mailer, settings: defaultAlarmSettings({ language: 'en', timezone: 'UTC' }), clock, logger: pino({ level: 'silent' }),
    batchSize: DUE, pollIntervalMs: 60_000, initialJitterMaxMs: 1, leaseTtlMs: 60_000,
  });
  const t0 = process.hrtime.bigint();
  await scheduler.tick();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (sent !== DUE) throw new Error(`expected ${DUE} alarms sent, got ${sent}`);
  return ms;
}

async function fill(store: AlarmStore, prefix: string, due: number, future: number): Promise<void> {
  const entries = [...Array.from({ length: due }, (_, i) => entry(`${prefix}-due-${i}`, true)), ...Array.from({ length: future }, (_, i) => entry(`${prefix}-future-${i}`, false))];
  if (store instanceof MongoAlarmStore) await store.insertMany(entries);
  else for (const e of entries) await store.upsert(e);
}

async function main(): Promise<void> {
  const memory = process.argv.includes('--memory');
  let stop = async () => undefined as void;
  const makeStores: () => Promise<{ store: AlarmStore; lease: AlarmLease; clock: FakeClock }> = memory
    ? async () => {
        const clock = new FakeClock(NOW);
        return { store: new MemoryAlarmStore(), lease: new MemoryAlarmLease(clock), clock };
      }
    : await (async () => {
        if (!process.env.MONGO_URL) {
          const all = await startAll({ only: ['mongo'] });
          Object.assign(process.env, all.env);
          stop = () => all.stop();
        }
        let n = 0;
        return async () => {
          const conn = await connectMongo(process.env.MONGO_URL as string, `sidecal_bench_${Date.now()}_${n++}`);
          const clock = new FakeClock(NOW);
          const store = new MongoAlarmStore(conn.db);
          const lease = new MongoAlarmLease(conn.db, clock);
          await store.init();
          await lease.init();
          stop = ((prev) => async () => {
            await conn.db.dropDatabase();
            await conn.close();
            await prev();
          })(stop);
          return { store, lease, clock };
        };
      })();
  try {
    const small = await makeStores();
    await fill(small.store, 'small', DUE, 0);
    const large = await makeStores();
    await fill(large.store, 'large', DUE, DUE * 99);
    // Warm-up pass (JIT, connection pool) so that the baseline is not charged for it.
    const warm = await makeStores();
    await fill(warm.store, 'warm', DUE, 0);
    await pass(warm.store, warm.lease, warm.clock);
    const baseline = await pass(small.store, small.lease, small.clock);
    const measured = await pass(large.store, large.lease, large.clock);
    const ratio = measured / baseline;
    console.log(JSON.stringify({ store: memory ? 'memory' : 'mongodb-wire', due: DUE, baselineStored: DUE, measuredStored: DUE + DUE * 99, baselineMs: Math.round(baseline), measuredMs: Math.round(measured), ratio: Number(ratio.toFixed(2)), target: '< 2' }));
  } finally {
    await stop();
  }
}

await main();
