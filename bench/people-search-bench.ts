/**
 * People search latency (`POST /api/people/search` service path): 10,000 OpenPaaS users, 100,000 contacts in the Twake
 * Mail indices on OpenSearch (9 personal contacts per user + the 10,000 users in the domain index), 200 resources;
 * then BENCH_QUERIES searches by random users with 3-letter prefixes, all object types, limit 10. Prints p50/p90/p99.
 *
 *   npx tsx bench/people-search-bench.ts     # OpenSearch from the test harness, or OPENSEARCH_URL; users in MongoDB if MONGO_URL
 *   BENCH_QUERIES=500 BENCH_USERS=2000 npx tsx bench/people-search-bench.ts
 */
import { randomUUID } from 'node:crypto';
import { systemClock } from '../src/core/clock.js';
import { DEFAULT_CONTACT_NGRAMS, OpenSearchContactSearchEngine } from '../src/search/people-contacts.opensearch.js';
import { createOpenSearchClient } from '../src/search/opensearch-client.js';
import { PeopleSearchService } from '../src/search/people-search.js';
import { MemoryDomainStore } from '../src/storage/domain-store.memory.js';
import { MongoDomainStore } from '../src/storage/domain-store.mongo.js';
import type { DomainStore } from '../src/storage/domain-store.js';
import { connectMongo } from '../src/storage/mongo.js';
import { MemoryResourceStore } from '../src/storage/resource-store.memory.js';
import { MemoryUserStore } from '../src/storage/user-store.memory.js';
import { MongoUserStore } from '../src/storage/user-store.mongo.js';
import type { UserStore } from '../src/storage/user-store.js';
import { startAll } from '../test/harness/backends.js';
import { indexContacts } from '../test/search/people-opensearch-support.js';
import type { StoredContact } from '../src/search/people-contacts.memory.js';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const CONTACTS_PER_USER = 9;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2_000);
const DOMAIN = 'bench.example';
const FIRST = ['anne', 'bruno', 'chloe', 'david', 'emma', 'felix', 'gaelle', 'hugo', 'ines', 'jules', 'karim', 'lea', 'marc', 'nina', 'oscar', 'paul'];
const LAST = ['martin', 'bernard', 'dubois', 'thomas', 'robert', 'richard', 'petit', 'durand', 'leroy', 'moreau', 'simon', 'laurent'];

const pick = <T>(a: T[], i: number): T => a[i % a.length]!;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const harness = await startAll({ only: ['opensearch'] });
  try {
    const client = createOpenSearchClient({ hosts: [harness.env.OPENSEARCH_URL ?? process.env.OPENSEARCH_URL!] } as never);
    const base = `bench_people_${Date.now().toString(36)}`;
    const names = {
      userIndex: `${base}_user`, domainIndex: `${base}_domain`, userReadAlias: `${base}_user_read`, domainReadAlias: `${base}_domain_read`,
      userWriteAlias: `${base}_user_write`, domainWriteAlias: `${base}_domain_write`, ...DEFAULT_CONTACT_NGRAMS,
    };
    const engine = new OpenSearchContactSearchEngine(client, names);
    await engine.init();

    let domains: DomainStore;
    let users: UserStore;
    let closeMongo = async () => {};
    if (process.env.MONGO_URL) {
      const mongo = await connectMongo(process.env.MONGO_URL, base);
      domains = new MongoDomainStore(mongo.db);
      users = new MongoUserStore(mongo.db, domains);
      await (domains as MongoDomainStore).init();
      await (users as MongoUserStore).init();
      closeMongo = async () => (await mongo.db.dropDatabase(), await mongo.close());
    } else {
      domains = new MemoryDomainStore(systemClock);
      users = new MemoryUserStore(domains, systemClock);
    }
    const domain = await domains.add(DOMAIN);
    const t0 = Date.now();
    const usernames: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const u = `${pick(FIRST, i)}.${pick(LAST, Math.floor(i / FIRST.length))}${i}@${DOMAIN}`;
      usernames.push(u);
      await users.add(u, pick(FIRST, i), pick(LAST, Math.floor(i / FIRST.length)));
    }
    const resources = new MemoryResourceStore(systemClock);
    for (let i = 0; i < 200; i++) await resources.insert({ creator: domain.id, domainId: domain.id, name: `${pick(FIRST, i)} room ${i}`, description: '', icon: 'laptop' });
    const tUsers = Date.now() - t0;

    const t1 = Date.now();
    let batch: StoredContact[] = [];
    let total = 0;
    const flush = async () => { await indexContacts(client, names, batch); total += batch.length; batch = []; };
    for (let i = 0; i < USERS; i++) {
      batch.push({ domain: DOMAIN, id: randomUUID(), email: usernames[i]!, firstname: pick(FIRST, i), surname: pick(LAST, Math.floor(i / FIRST.length)) });
      for (let k = 0; k < CONTACTS_PER_USER; k++) {
        const j = i * CONTACTS_PER_USER + k;
        batch.push({ accountId: usernames[i]!, id: randomUUID(), email: `ext${j}@partner${j % 97}.example`, firstname: pick(FIRST, j * 7), surname: pick(LAST, j * 5) });
      }
      if (batch.length >= 5_000) await flush();
    }
    await flush();
    const tIndex = Date.now() - t1;

    const people = new PeopleSearchService({ contacts: engine, users, domains, resources }, { self: 'https://cal.example', spaCalendar: 'https://cal.example' });
    const warm = Math.min(100, QUERIES);
    const lat: number[] = [];
    for (let q = 0; q < QUERIES + warm; q++) {
      const requester = { username: usernames[(q * 7919) % USERS]!, domain: DOMAIN };
      const query = pick(q % 2 ? FIRST : LAST, q * 31).slice(0, 3);
      const s = performance.now();
      const res = await people.search(requester, { q: query, objectTypes: [], limit: 10 });
      if (q >= warm) lat.push(performance.now() - s);
      if (res.length === 0) throw new Error(`no result for ${query}`);
    }
    lat.sort((a, b) => a - b);
    // Baseline in the same run: the contact index alone (one OpenSearch round trip) for the same queries.
    const baseline: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const requester = { username: usernames[(q * 7919) % USERS]!, domain: DOMAIN };
      const s = performance.now();
      await engine.autoComplete(requester, pick(q % 2 ? FIRST : LAST, q * 31).slice(0, 3), 10);
      baseline.push(performance.now() - s);
    }
    baseline.sort((a, b) => a - b);
    const fmt = (n: number) => n.toFixed(1);
    console.log(`people search bench: ${USERS} users (${process.env.MONGO_URL ? 'MongoDB' : 'memory'}), ${total} contacts on OpenSearch, 200 resources`);
    console.log(`setup: users+resources ${tUsers} ms, contact indexing ${tIndex} ms; ${QUERIES} queries after ${warm} warm-up`);
    console.log(`latency ms: p50 ${fmt(pct(lat, 50))}  p90 ${fmt(pct(lat, 90))}  p99 ${fmt(pct(lat, 99))}  max ${fmt(lat[lat.length - 1]!)}`);
    console.log(`baseline (contact index alone) ms: p50 ${fmt(pct(baseline, 50))}  p99 ${fmt(pct(baseline, 99))}; ratio p50 ${(pct(lat, 50) / pct(baseline, 50)).toFixed(2)}  p99 ${(pct(lat, 99) / pct(baseline, 99)).toFixed(2)}`);
    await client.indices.delete({ index: `${names.userIndex},${names.domainIndex}` }).catch(() => undefined);
    await client.close();
    await closeMongo();
  } finally {
    await harness.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
