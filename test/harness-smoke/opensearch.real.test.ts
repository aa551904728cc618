import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@opensearch-project/opensearch';
import { requireEnv } from '../support/real.js';

test('opensearch: create index with custom analyzer, bulk index, search, delete_by_query', async (t) => {
  const client = new Client({ node: requireEnv('OPENSEARCH_URL') });
  const index = `smoke-${process.pid}-${Date.now().toString(36)}`;
  t.after(async () => {
    await client.indices.delete({ index }).catch(() => undefined);
    await client.close();
  });

  // whitespace/edge_ngram/lowercase/asciifolding come from the analysis-common module
  await client.indices.create({
    index,
    body: {
      settings: {
        number_of_shards: 1,
        number_of_replicas: 0,
        analysis: {
          filter: { prefix: { type: 'edge_ngram', min_gram: 2, max_gram: 10 } },
          analyzer: {
            prefix: { type: 'custom', tokenizer: 'whitespace', filter: ['lowercase', 'asciifolding', 'prefix'] },
            folded: { type: 'custom', tokenizer: 'whitespace', filter: ['lowercase', 'asciifolding'] },
          },
        },
      },
      mappings: {
        properties: {
          summary: { type: 'text', analyzer: 'prefix', search_analyzer: 'folded' },
          calendarId: { type: 'keyword' },
          start: { type: 'date' },
        },
      },
    },
  });

  const docs = [
    { summary: 'Réunion équipe calendrier', calendarId: 'c1', start: '2025-01-15T10:00:00Z' },
    { summary: 'Weekly sync', calendarId: 'c1', start: '2025-01-16T10:00:00Z' },
    { summary: 'Déjeuner', calendarId: 'c2', start: '2025-01-17T12:00:00Z' },
  ];
  const bulk = await client.bulk({
    refresh: true,
    body: docs.flatMap((d, i) => [{ index: { _index: index, _id: `e${i}` } }, d]),
  });
  assert.equal(bulk.body.errors, false);

  const res = await client.search({
    index,
    body: { query: { bool: { must: { match: { summary: 'reun' } }, filter: { term: { calendarId: 'c1' } } } } },
  });
  const hits = res.body.hits.hits.map((h) => h._id);
  assert.deepEqual(hits, ['e0']);

  const count = await client.count({ index, body: { query: { range: { start: { gte: '2025-01-16T00:00:00Z' } } } } });
  assert.equal(count.body.count, 2);

  // _delete_by_query comes from the reindex module
  const del = await client.deleteByQuery({ index, refresh: true, body: { query: { term: { calendarId: 'c1' } } } });
  assert.equal((del.body as { deleted?: number }).deleted, 2);
  const left = await client.count({ index });
  assert.equal(left.body.count, 1);
});
