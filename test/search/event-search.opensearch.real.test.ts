import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OpenSearchConfig } from '../../src/config/config-types.js';
import { OpenSearchEventSearch } from '../../src/search/event-search.opensearch.js';
import { createOpenSearchClient } from '../../src/search/opensearch-client.js';
import { requireEnv } from '../support/real.js';
import { doc, eventSearchContract } from './event-search.contract.js';

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

eventSearchContract('OpenSearchEventSearch', async () => {
  ready ??= search.init(config);
  await ready;
  return search;
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
  const hits = async (query: string) => (await search.search({ accountId: a, query, limit: 10, offset: 0 })).map((d) => d.eventUid);
  assert.deepEqual(await hits('anticon'), ['long-name']);
  assert.deepEqual(await hits('anticons'), []);
});

test.after(async () => {
  await client.indices.delete({ index: config.eventsIndex }).catch(() => undefined);
  await client.close();
});
