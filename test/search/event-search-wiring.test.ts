import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bulkSizeFor } from '../../src/search/event-search-wiring.js';

test('bulks hold at most half the indexing prefetch, so the next bulk can fill while one is written; 500 at most', () => {
  assert.equal(bulkSizeFor(1024), 500);
  assert.equal(bulkSizeFor(512), 256);
  assert.equal(bulkSizeFor(256), 128);
  assert.equal(bulkSizeFor(3), 1);
  assert.equal(bulkSizeFor(1), 1, 'a prefetch of one still writes');
  assert.equal(bulkSizeFor(undefined), 500, 'the bus default prefetch when none is configured');
});
