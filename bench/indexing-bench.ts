/**
 * Event indexing throughput, publish → searchable: N esn-sabre `calendar:event:created` messages published on RabbitMQ,
 * timed until OpenSearch counts all N documents, as a ratio to OpenSearch's own bulk rate for the same N documents
 * (bulks of 500, one refresh at the end) measured in the same run.
 *
 *   npx tsx bench/indexing-bench.ts          # RabbitMQ and OpenSearch from the test harness, or RABBITMQ_URI / OPENSEARCH_URL
 *   BENCH_EVENTS=500 npx tsx bench/indexing-bench.ts
 */
import { connect } from 'amqplib';
import ICAL from 'ical.js';
import { pino } from 'pino';
import { startSidecal } from '../src/main.js';
import { documentsFromJcal } from '../src/search/event-document.js';
import { OpenSearchEventSearch } from '../src/search/event-search.opensearch.js';
import { createOpenSearchClient } from '../src/search/opensearch-client.js';
import { startAll } from '../test/harness/backends.js';
import { testConfig } from '../test/support/sidecal.js';

const N = Number(process.env.BENCH_EVENTS ?? 2_000);
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
  const config = testConfig({ RABBITMQ_URI: process.env.RABBITMQ_URI!, OPENSEARCH_URL: process.env.OPENSEARCH_URL! });
  const s = await startSidecal(config, { logger, listen: false });
  const client = createOpenSearchClient(config.opensearch!);
  try {
    const email = `bench${Date.now()}@linagora.com`;
    await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: 'B', lastname: 'B' } });
    const id = ((await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { id: string; email: string }[]).find((u) => u.email === email)!.id;
    const bodies = Array.from({ length: N }, (_, i) => ({ eventPath: `/calendars/${id}/${id}/bench-${i}.ics`, event: jcal(i), import: false }));

    // Baseline: the same documents straight into a fresh index with the same settings, bulks of 500.
    const names = { eventsIndex: `bench-events-${Date.now()}`, eventsReadAlias: `bench-read-${Date.now()}`, eventsWriteAlias: `bench-write-${Date.now()}` };
    const direct = new OpenSearchEventSearch(client, names);
    await direct.init({ ...config.opensearch!, ...names });
    const docs = bodies.flatMap((b) => documentsFromJcal(b.event, email, `${id}/${id}`));
    let t0 = performance.now();
    for (let i = 0; i < docs.length; i += 500) await direct.index(docs.slice(i, i + 500));
    const bulkMs = performance.now() - t0;
    await client.indices.delete({ index: names.eventsIndex });

    // Pipeline: publish as esn-sabre does, wait until every document is counted through the read alias.
    const conn = await connect(process.env.RABBITMQ_URI!);
    const ch = await conn.createConfirmChannel();
    t0 = performance.now();
    for (const b of bodies) ch.publish('calendar:event:created', '', Buffer.from(JSON.stringify(b)));
    await ch.waitForConfirms();
    for (;;) {
      const count = (await client.count({ index: config.opensearch!.eventsReadAlias, body: { query: { term: { accountId: email } } } as never })).body.count;
      if (count >= N) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const pipelineMs = performance.now() - t0;
    await conn.close();
    const rate = (ms: number) => Math.round((N * 1000) / ms);
    console.log(JSON.stringify({ events: N, bulkEventsPerSecond: rate(bulkMs), pipelineEventsPerSecond: rate(pipelineMs), ratio: Number((bulkMs / pipelineMs).toFixed(3)) }));
  } finally {
    await client.close();
    await s.close();
    await stop();
  }
}

await main();
