import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OpenSearchConfig } from '../../src/config/config-types.js';
import type { EventSearch } from '../../src/search/event-search.js';
import { EVENT_INDEX_MAPPING, eventIndexSettings } from '../../src/search/event-index.js';
import { OpenSearchEventSearch } from '../../src/search/event-search.opensearch.js';
import { createOpenSearchClient } from '../../src/search/opensearch-client.js';
import { requireEnv } from '../support/real.js';
import { defaultCalendar, doc, eventSearchContract } from './event-search.contract.js';

const url = requireEnv('OPENSEARCH_URL');
const suffix = `${process.pid}-${Date.now()}`;
const config: OpenSearchConfig = {
  hosts: [url], user: undefined, password: undefined, trustAllCerts: false, nbShards: 1, nbReplica: 0,
  eventsIndex: `calendar-events-${suffix}`, eventsReadAlias: `calendar-events-read-${suffix}`, eventsWriteAlias: `calendar-events-write-${suffix}`,
  eventsMinNgram: 3, eventsMaxNgramDiff: 4,
  contactUserIndex: 'user_contact', contactDomainIndex: 'domain_contact', contactUserReadAlias: 'user_contact_read_alias', contactDomainReadAlias: 'domain_contact_read_alias',
};
const client = createOpenSearchClient(config);
const search = new OpenSearchEventSearch(client, config);
let ready: Promise<void> | undefined;

/**
 * The adapter as production runs it (no refresh per write), seen by a reader that waits for the next refresh: each
 * search forces the refresh the index would do within its 1 s interval.
 */
const afterRefresh: EventSearch = {
  index: (docs) => search.index(docs),
  deleteEvent: (a, calendarURL, uid) => search.deleteEvent(a, calendarURL, uid),
  deleteAll: (a) => search.deleteAll(a),
  search: async (q) => {
    await client.indices.refresh({ index: config.eventsReadAlias });
    return search.search(q);
  },
};

eventSearchContract('OpenSearchEventSearch', async () => {
  ready ??= search.init(config);
  await ready;
  return afterRefresh;
});

test('OpenSearch: concurrent index calls share bulk requests; a bad document fails only its own caller', async () => {
  ready ??= search.init(config);
  await ready;
  const a = `batch${Date.now()}@linagora.com`;
  let bulks = 0;
  const bulk = client.bulk.bind(client);
  (client as { bulk: unknown }).bulk = (...args: Parameters<typeof bulk>) => {
    bulks++;
    return bulk(...args);
  };
  try {
    const good = Array.from({ length: 40 }, (_, i) => search.index([doc(a, `b${i}`)]));
    // 'start' is a date field: an unparsable value is rejected by OpenSearch for this document only.
    const bad = search.index([doc(a, 'bad', { start: 'not a date' })]);
    const outcomes = await Promise.allSettled([...good, bad]);
    assert.deepEqual(outcomes.slice(0, 40).map((o) => o.status), Array(40).fill('fulfilled'));
    assert.equal(outcomes[40]!.status, 'rejected');
    assert.match(String((outcomes[40] as PromiseRejectedResult).reason), /bulk indexing failed/);
    assert.ok(bulks <= 2, `41 concurrent calls took ${bulks} bulk requests`);
  } finally {
    (client as { bulk: unknown }).bulk = bulk;
  }
  assert.equal((await afterRefresh.search({ accountId: a, query: '', limit: 100, offset: 0 })).length, 40);
});

test('OpenSearch: without any forced refresh, a write is searchable well within a second', async () => {
  ready ??= search.init(config);
  await ready;
  const a = `soon${Date.now()}@linagora.com`;
  const t0 = Date.now();
  await search.index([doc(a, 'soon')]);
  let elapsed = 0;
  while ((await search.search({ accountId: a, query: '', limit: 1, offset: 0 })).length === 0) {
    elapsed = Date.now() - t0;
    assert.ok(elapsed < 2_000, 'not searchable after 2 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  elapsed = Date.now() - t0;
  assert.ok(elapsed < 1_000, `searchable after ${elapsed} ms`);
});

test('OpenSearch: an event deleted right after it was indexed (no refresh in between) is gone', async () => {
  ready ??= search.init(config);
  await ready;
  const a = `quick${Date.now()}@linagora.com`;
  await search.index([doc(a, 'short-lived'), doc(a, 'stays')]);
  await search.deleteEvent(a, defaultCalendar(a), 'short-lived');
  assert.deepEqual((await afterRefresh.search({ accountId: a, query: '', limit: 10, offset: 0 })).map((d) => d.eventUid), ['stays']);
});

test('OpenSearch: index and aliases are created once with the spec settings; a second init changes nothing', async () => {
  ready ??= search.init(config);
  await ready;
  await search.init(config);
  const settings = (await client.indices.getSettings({ index: config.eventsIndex })).body[config.eventsIndex]!.settings as { index: { analysis: { filter: Record<string, { max_gram?: string }> } } };
  assert.equal(settings.index.analysis.filter.edge_ngram_filter!.max_gram, '7');
  const aliases = (await client.indices.getAlias({ index: config.eventsIndex })).body[config.eventsIndex]!.aliases;
  assert.deepEqual(Object.keys(aliases).sort(), [config.eventsReadAlias, config.eventsWriteAlias].sort());
  const mapping = (await client.indices.getMapping({ index: config.eventsIndex })).body[config.eventsIndex]!.mappings as { properties: Record<string, { type: string }> };
  assert.equal(mapping.properties.accountId!.type, 'keyword');
  assert.deepEqual(await search.check(), { status: 'healthy' });
});

test('OpenSearch: names match by prefixes of at most 7 characters (spec storage.md 3.2 trap)', async () => {
  ready ??= search.init(config);
  await ready;
  const a = `trap${Date.now()}@linagora.com`;
  await search.index([doc(a, 'long-name', { summary: 'x', description: null, location: null, organizer: { cn: 'Anticonstitutionnel', email: 'o@example.org' }, attendees: [] })]);
  const hits = async (query: string) => (await afterRefresh.search({ accountId: a, query, limit: 10, offset: 0 })).map((d) => d.eventUid);
  assert.deepEqual(await hits('anticon'), ['long-name']);
  assert.deepEqual(await hits('anticons'), []);
});

test('OpenSearch: an index created with the old mapping gets the added fields at init; the booking-link filter works on it', async () => {
  const old = { ...config, eventsIndex: `${config.eventsIndex}-old`, eventsReadAlias: `${config.eventsReadAlias}-old`, eventsWriteAlias: `${config.eventsWriteAlias}-old` };
  const { videoconferenceUrl: _v, bookingLinkId: _b, resourceName: _r, ...oldProperties } = EVENT_INDEX_MAPPING.properties;
  await client.indices.create({ index: old.eventsIndex, body: { settings: eventIndexSettings(old), mappings: { properties: oldProperties } } as never });
  const before = new OpenSearchEventSearch(client, old);
  try {
    // A document written by an older sidecal (no booking-link fields), before the upgrade.
    await client.index({ index: old.eventsIndex, id: 'legacy', routing: 'legacy@linagora.com', refresh: true, body: { ...doc('legacy@linagora.com', 'legacy'), videoconferenceUrl: undefined, bookingLinkId: undefined, resourceName: undefined } });
    await before.init(old);
    const mapping = (await client.indices.getMapping({ index: old.eventsIndex })).body[old.eventsIndex]!.mappings as { properties: Record<string, { type: string; index?: boolean }> };
    assert.deepEqual([mapping.properties.bookingLinkId, mapping.properties.videoconferenceUrl, mapping.properties.resourceName], [{ type: 'keyword' }, { type: 'keyword', index: false }, { type: 'keyword', index: false }]);
    await before.init(old); // idempotent
    const a = `booked${Date.now()}@linagora.com`;
    const link = '550e8400-e29b-41d4-a716-446655440000';
    await before.index([doc(a, 'booked', { bookingLinkId: link }), doc(a, 'plain')]);
    await client.indices.refresh({ index: old.eventsIndex });
    assert.deepEqual((await before.search({ accountId: a, query: '', bookingLink: link, limit: 10, offset: 0 })).map((d) => d.eventUid), ['booked']);
    const legacy = await before.search({ accountId: 'legacy@linagora.com', query: '', limit: 10, offset: 0 });
    assert.deepEqual([legacy.length, legacy[0]!.bookingLinkId, legacy[0]!.videoconferenceUrl, legacy[0]!.resourceName], [1, undefined, undefined, undefined]);
  } finally {
    before.close();
    await client.indices.delete({ index: old.eventsIndex }).catch(() => undefined);
  }
});

test('OpenSearch: documents under the ids of earlier versions (<account>:<uid>:<kind>) are reached by deleteEvent and deleteAll', async () => {
  ready ??= search.init(config);
  await ready;
  const a = `upgraded${Date.now()}@linagora.com`;
  const [cal1, cal2] = [defaultCalendar(a), defaultCalendar(a).replace(/cal1$/, 'cal2')];
  const { resourceName: _r, ...before } = doc(a, 'old');
  for (const [id, body] of [[`${a}:old:single`, before], [`${a}:kept:single`, { ...before, eventUid: 'kept', calendarURL: cal2 }]] as const) {
    await client.index({ index: config.eventsWriteAlias, id, routing: a, body });
  }
  // The upgraded node writes the same event under its new id: until it is deleted or the account reindexed, both exist.
  await search.index([doc(a, 'old', { summary: 'Renamed' })]);
  assert.deepEqual((await afterRefresh.search({ accountId: a, query: '', limit: 10, offset: 0 })).map((d) => d.eventUid).sort(), ['kept', 'old', 'old']);
  await search.deleteEvent(a, cal1, 'old');
  assert.deepEqual((await afterRefresh.search({ accountId: a, query: '', limit: 10, offset: 0 })).map((d) => [d.eventUid, d.calendarURL]), [['kept', cal2]]);
  await search.deleteAll(a);
  assert.deepEqual(await afterRefresh.search({ accountId: a, query: '', limit: 10, offset: 0 }), []);
});

test.after(async () => {
  await client.indices.delete({ index: config.eventsIndex }).catch(() => undefined);
  await client.close();
});
