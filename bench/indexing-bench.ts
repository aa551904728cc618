/**
 * Event indexing throughput, publish → searchable (issue #7): N esn-sabre `calendar:event:created` messages published
 * on RabbitMQ, timed until OpenSearch counts all N documents, as a ratio to OpenSearch's own bulk rate for the same N
 * documents (plain bulk requests of 500 into the same index, then one refresh: searchable) measured in the same run.
 * Target: ≥ 0.5.
 *
 * sidecal runs in its own process (`src/main.ts`, configured by env); this process plays esn-sabre (it publishes) and
 * the baseline's bulk client. Besides the rates, each phase's CPU time is read from /proc for every process doing the
 * work (OpenSearch's JVM, RabbitMQ's beam, sidecal, and this process for the baseline's bulk requests), so the run also
 * gives the CPU per event of each path: on a shared 2-core machine the rates move with other load, the CPU per event
 * much less. The publisher's own CPU is esn-sabre's cost and is reported apart, not charged to the pipeline.
 *
 *   npx tsx bench/indexing-bench.ts          # RabbitMQ and OpenSearch from the test harness, or RABBITMQ_URI / OPENSEARCH_URL
 *   BENCH_EVENTS=500 BENCH_ROUNDS=3 npx tsx bench/indexing-bench.ts   # events per round (4,000), rounds (5; median printed)
 *   RABBITMQ_SEARCH_PREFETCH_COUNT=16 npx tsx bench/indexing-bench.ts   # the indexing queues' prefetch (default from the config)
 */
import { connect } from 'amqplib';
import ICAL from 'ical.js';
import { documentsFromJcal } from '../src/search/event-document.js';
import { documentId } from '../src/search/event-search.js';
import { createOpenSearchClient } from '../src/search/opensearch-client.js';
import { startAll } from '../test/harness/backends.js';
import { getFreePort } from '../test/harness/ports.js';
import { testConfig } from '../test/support/sidecal.js';
import { cpuMs, listenerPid, median, startSidecalProcess, waitForOk } from './lib/load.js';

const N = Number(process.env.BENCH_EVENTS ?? 4_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function jcal(i: number): unknown {
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:bench', 'BEGIN:VEVENT', `UID:bench-${i}`, 'DTSTAMP:20250101T000000Z',
    `DTSTART;TZID=Europe/Paris:202510${String((i % 28) + 1).padStart(2, '0')}T100000`, 'DURATION:PT1H', `SUMMARY:Meeting number ${i}`,
    'LOCATION:Room 42', 'ORGANIZER;CN=Anne Martin:mailto:anne@example.com', 'ATTENDEE;CN=Bob Durand;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com',
    'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  return new ICAL.Component(ICAL.parse(ics)).toJSON();
}

/** CPU time (ms) of this process so far. */
const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs `phase` and returns its wall time and the CPU time each named process spent meanwhile (ms). */
async function measured(pids: Record<string, number>, phase: () => Promise<void>): Promise<{ ms: number; cpu: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid === process.pid ? selfCpuMs() : cpuMs(pid)]));
  const t0 = performance.now();
  await phase();
  const ms = performance.now() - t0;
  const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, (pid === process.pid ? selfCpuMs() : cpuMs(pid)) - before[k]!]));
  return { ms, cpu };
}

async function main(): Promise<void> {
  let stop = async () => {};
  if (!process.env.RABBITMQ_URI || !process.env.OPENSEARCH_URL) {
    const all = await startAll({ only: ['rabbitmq', 'opensearch'] });
    Object.assign(process.env, all.env);
    stop = () => all.stop();
  }
  const passthrough = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^RABBITMQ_(SEARCH_)?PREFETCH_COUNT$/.test(k))) as Record<string, string>;
  const env = { RABBITMQ_URI: process.env.RABBITMQ_URI!, OPENSEARCH_URL: process.env.OPENSEARCH_URL!, ...passthrough };
  const config = testConfig(env);
  const webadminPort = await getFreePort();
  const side = startSidecalProcess({ ...env, WEBADMIN_ENABLED: 'true', WEBADMIN_HOST: '127.0.0.1', WEBADMIN_PORT: String(webadminPort), REST_API_PORT: String(await getFreePort()) });
  const webadmin = `http://127.0.0.1:${webadminPort}`;
  await waitForOk(`${webadmin}/healthcheck`);
  const pids = {
    opensearch: listenerPid(Number(new URL(process.env.OPENSEARCH_URL!).port)),
    rabbitmq: listenerPid(Number(new URL(process.env.RABBITMQ_URI!).port)),
    sidecal: side.pid!,
    bench: process.pid,
  };
  const client = createOpenSearchClient(config.opensearch!);
  const conn = await connect(process.env.RABBITMQ_URI!);
  const ch = await conn.createConfirmChannel();
  const rounds: Record<string, number>[] = [];
  try {
    // Round 0 warms both paths up (JIT, OpenSearch caches, first index of the account) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const email = `bench${Date.now()}r${round}@linagora.com`;
      const created = await fetch(`${webadmin}/registeredUsers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, firstname: 'B', lastname: 'B' }) });
      if (!created.ok) throw new Error(`user creation: ${created.status} ${await created.text()}`);
      const id = ((await (await fetch(`${webadmin}/registeredUsers`)).json()) as { id: string; email: string }[]).find((u) => u.email === email)!.id;
      const bodies = Array.from({ length: N }, (_, i) => ({ eventPath: `/calendars/${id}/${id}/bench-${i}.ics`, event: jcal(i), import: false }));

      // Baseline: the same documents, under another account and calendar (so other ids), bulk-indexed straight into the
      // same index through the same write alias (same settings, same size as the pipeline finds it), plain bulks of
      // 500, then one refresh (searchable). Charged: OpenSearch and this process (the bulk client).
      const write = config.opensearch!.eventsWriteAlias;
      const docs = bodies.flatMap((b) => documentsFromJcal(b.event, `bulk-${email}`, `${id}/bulk`));
      const runBulk = () => measured({ opensearch: pids.opensearch, bench: pids.bench }, async () => {
        for (let i = 0; i < docs.length; i += 500) {
          const body = docs.slice(i, i + 500).flatMap((d) => [{ index: { _index: write, _id: documentId(d), routing: d.accountId } }, d]);
          const res = await client.bulk({ body });
          if (res.body.errors) throw new Error('baseline bulk failed');
        }
        await client.indices.refresh({ index: write });
      });

      // Pipeline: publish as esn-sabre does, wait until every document is counted through the read alias.
      // Charged: OpenSearch, RabbitMQ and sidecal; this process (the publisher) is reported apart.
      const payloads = bodies.map((b) => Buffer.from(JSON.stringify(b)));
      const runPipeline = () => measured(pids, async () => {
        for (const p of payloads) ch.publish('calendar:event:created', '', p);
        await ch.waitForConfirms();
        for (;;) {
          const count = (await client.count({ index: config.opensearch!.eventsReadAlias, body: { query: { term: { accountId: email } } } as never })).body.count;
          if (count >= N) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      // The two phases take turns going first: OpenSearch's background merges of one phase's segments land partly in
      // the next phase's CPU, so a fixed order would always charge them to the same side.
      let bulk: Awaited<ReturnType<typeof runBulk>>;
      let pipeline: Awaited<ReturnType<typeof runPipeline>>;
      if (round % 2 === 0) {
        bulk = await runBulk();
        pipeline = await runPipeline();
      } else {
        pipeline = await runPipeline();
        bulk = await runBulk();
      }

      // Second reference: RabbitMQ alone, the same messages published with confirms into a queue and consumed here with
      // the same prefetch and one ack each (no parsing, no OpenSearch): the broker's share of the cost.
      const q = (await ch.assertQueue('', { exclusive: true, autoDelete: true })).queue;
      const consumer = await conn.createChannel();
      await consumer.prefetch(config.rabbitmq!.searchPrefetch);
      const broker = await measured({ rabbitmq: pids.rabbitmq }, async () => {
        const consumed = new Promise<void>((resolve) => {
          let seen = 0;
          void consumer.consume(q, (m) => {
            if (!m) return;
            consumer.ack(m);
            if (++seen === N) resolve();
          });
        });
        for (const p of payloads) ch.sendToQueue(q, p);
        await ch.waitForConfirms();
        await consumed;
      });
      await consumer.close();

      const rate = (ms: number) => Math.round((N * 1000) / ms);
      const perEvent = (ms: number) => Math.round((ms * 1000) / N); // µs of CPU per event
      const bulkCpu = bulk.cpu.opensearch! + bulk.cpu.bench!;
      const pipelineCpu = pipeline.cpu.opensearch! + pipeline.cpu.rabbitmq! + pipeline.cpu.sidecal!;
      const result = {
        bulk: rate(bulk.ms), pipeline: rate(pipeline.ms), brokerOnly: rate(broker.ms), ratio: Number((bulk.ms / pipeline.ms).toFixed(3)),
        bulkCpuUs: perEvent(bulkCpu), pipelineCpuUs: perEvent(pipelineCpu),
        pipelineCpuUsBy: { opensearch: perEvent(pipeline.cpu.opensearch!), rabbitmq: perEvent(pipeline.cpu.rabbitmq!), sidecal: perEvent(pipeline.cpu.sidecal!), publisher: perEvent(pipeline.cpu.bench!) },
        brokerOnlyCpuUs: perEvent(broker.cpu.rabbitmq!),
        cpuRatio: Number((bulkCpu / pipelineCpu).toFixed(3)),
      };
      console.error(`round ${round}/${ROUNDS}${round === 0 ? ' (warm-up, not counted)' : ''}: ${JSON.stringify(result)}`);
      if (round > 0) rounds.push({ ...result, pipelineCpuUsBy: undefined } as unknown as Record<string, number>);
    }
    const load = (await import('node:os')).loadavg()[0]!;
    console.log(JSON.stringify({
      events: N, searchPrefetch: config.rabbitmq!.searchPrefetch, rounds: rounds.length, loadAverage: Number(load.toFixed(2)),
      medianRatio: median(rounds.map((r) => r.ratio!)), medianCpuRatio: median(rounds.map((r) => r.cpuRatio!)),
      medianBulkCpuUsPerEvent: median(rounds.map((r) => r.bulkCpuUs!)), medianPipelineCpuUsPerEvent: median(rounds.map((r) => r.pipelineCpuUs!)),
      target: 0.5,
    }));
  } finally {
    await conn.close();
    await client.close();
    side.kill();
    await stop();
  }
}

await main();
