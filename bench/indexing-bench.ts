/**
 * Event indexing throughput, publish → searchable: N esn-sabre `calendar:event:created` messages published on RabbitMQ,
 * timed until OpenSearch counts all N documents, as a ratio to OpenSearch's own bulk rate for the same N documents
 * (plain bulk requests of 500, then one refresh: searchable) measured in the same run.
 *
 *   npx tsx bench/indexing-bench.ts          # RabbitMQ and OpenSearch from the test harness, or RABBITMQ_URI / OPENSEARCH_URL
 *   BENCH_EVENTS=500 BENCH_ROUNDS=5 npx tsx bench/indexing-bench.ts   # events per round (4,000), rounds (3; median printed)
 *   RABBITMQ_SEARCH_PREFETCH_COUNT=16 npx tsx bench/indexing-bench.ts   # the indexing queues' prefetch (default 256)
 */
import { connect } from 'amqplib';
import ICAL from 'ical.js';
import { pino } from 'pino';
import { startSidecal } from '../src/main.js';
import { documentsFromJcal } from '../src/search/event-document.js';
import { documentId } from '../src/search/event-search.js';
import { OpenSearchEventSearch } from '../src/search/event-search.opensearch.js';
import { createOpenSearchClient } from '../src/search/opensearch-client.js';
import { startAll } from '../test/harness/backends.js';
import { testConfig } from '../test/support/sidecal.js';

const N = Number(process.env.BENCH_EVENTS ?? 4_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const logger = pino({ level: 'silent' });

function jcal(i: number): unknown {
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:bench', 'BEGIN:VEVENT', `UID:bench-${i}`, 'DTSTAMP:20250101T000000Z',
    `DTSTART;TZID=Europe/Paris:202510${String((i % 28) + 1).padStart(2, '0')}T100000`, 'DURATION:PT1H', `SUMMARY:Meeting number ${i}`,
    'LOCATION:Room 42', 'ORGANIZER;CN=Anne Martin:mailto:anne@example.com', 'ATTENDEE;CN=Bob Durand;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com',
    'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  return new ICAL.Component(ICAL.parse(ics)).toJSON();
}

async function main(): Promise<void> {
  let stop = async () => {};
  if (!process.env.RABBITMQ_URI || !process.env.OPENSEARCH_URL) {
    const all = await startAll({ only: ['rabbitmq', 'opensearch'] });
    Object.assign(process.env, all.env);
    stop = () => all.stop();
  }
  const passthrough = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^RABBITMQ_(SEARCH_)?PREFETCH_COUNT$/.test(k))) as Record<string, string>;
  const config = testConfig({ RABBITMQ_URI: process.env.RABBITMQ_URI!, OPENSEARCH_URL: process.env.OPENSEARCH_URL!, ...passthrough });
  const s = await startSidecal(config, { logger, listen: false });
  const client = createOpenSearchClient(config.opensearch!);
  const conn = await connect(process.env.RABBITMQ_URI!);
  const ch = await conn.createConfirmChannel();
  const rounds: { bulk: number; pipeline: number; ratio: number }[] = [];
  try {
    // Round 0 warms both paths up (JIT, OpenSearch caches, first index of the account) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const email = `bench${Date.now()}r${round}@linagora.com`;
      await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: 'B', lastname: 'B' } });
      const id = ((await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { id: string; email: string }[]).find((u) => u.email === email)!.id;
      const bodies = Array.from({ length: N }, (_, i) => ({ eventPath: `/calendars/${id}/${id}/bench-${i}.ics`, event: jcal(i), import: false }));

      // Baseline: the same documents straight into a fresh index with the same settings, plain bulks of 500, then one
      // refresh (searchable).
      const tag = `${Date.now()}-${round}`;
      const names = { eventsIndex: `bench-events-${tag}`, eventsReadAlias: `bench-read-${tag}`, eventsWriteAlias: `bench-write-${tag}` };
      const direct = new OpenSearchEventSearch(client, names);
      await direct.init({ ...config.opensearch!, ...names });
      direct.close();
      const docs = bodies.flatMap((b) => documentsFromJcal(b.event, email, `${id}/${id}`));
      let t0 = performance.now();
      for (let i = 0; i < docs.length; i += 500) {
        const body = docs.slice(i, i + 500).flatMap((d) => [{ index: { _index: names.eventsWriteAlias, _id: documentId(d), routing: d.accountId } }, d]);
        const res = await client.bulk({ body });
        if (res.body.errors) throw new Error('baseline bulk failed');
      }
      await client.indices.refresh({ index: names.eventsWriteAlias });
      const bulkMs = performance.now() - t0;
      await client.indices.delete({ index: names.eventsIndex });

      // Pipeline: publish as esn-sabre does, wait until every document is counted through the read alias.
      t0 = performance.now();
      for (const b of bodies) ch.publish('calendar:event:created', '', Buffer.from(JSON.stringify(b)));
      await ch.waitForConfirms();
      for (;;) {
        const count = (await client.count({ index: config.opensearch!.eventsReadAlias, body: { query: { term: { accountId: email } } } as never })).body.count;
        if (count >= N) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const pipelineMs = performance.now() - t0;

      // Second reference: RabbitMQ alone on the same cores, the same messages published with confirms into a queue
      // and consumed with the same prefetch and one ack each (no parsing, no OpenSearch): the broker's share of the cost.
      const q = (await ch.assertQueue('', { exclusive: true, autoDelete: true })).queue;
      const consumer = await conn.createChannel();
      await consumer.prefetch(config.rabbitmq!.searchPrefetch);
      t0 = performance.now();
      const consumed = new Promise<void>((resolve) => {
        let seen = 0;
        void consumer.consume(q, (m) => {
          if (!m) return;
          consumer.ack(m);
          if (++seen === N) resolve();
        });
      });
      for (const b of bodies) ch.sendToQueue(q, Buffer.from(JSON.stringify(b)));
      await ch.waitForConfirms();
      await consumed;
      const brokerMs = performance.now() - t0;
      await consumer.close();

      const rate = (ms: number) => Math.round((N * 1000) / ms);
      const result = { bulk: rate(bulkMs), pipeline: rate(pipelineMs), brokerOnly: rate(brokerMs), ratio: Number((bulkMs / pipelineMs).toFixed(3)) };
      console.error(`round ${round}/${ROUNDS}${round === 0 ? ' (warm-up, not counted)' : ''}: ${JSON.stringify(result)}`);
      if (round > 0) rounds.push(result);
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!;
    console.log(JSON.stringify({
      events: N, searchPrefetch: config.rabbitmq!.searchPrefetch, rounds,
      bulkEventsPerSecond: median.bulk, pipelineEventsPerSecond: median.pipeline, medianRatio: median.ratio, target: 0.5,
    }));
  } finally {
    await conn.close();
    await client.close();
    await s.close();
    await stop();
  }
}

await main();
