import { after } from 'node:test';
import { Client } from '@opensearch-project/opensearch';
import { DEFAULT_CONTACT_NGRAMS, OpenSearchContactSearchEngine } from '../../src/search/people-contacts.opensearch.js';
import { requireEnv, uniqueName } from '../support/real.js';
import { contactSearchContract } from './people-contacts.contract.js';
import { indexContacts } from './people-opensearch-support.js';

const client = new Client({ node: requireEnv('OPENSEARCH_URL') });
const created: string[] = [];
after(async () => {
  if (created.length) await client.indices.delete({ index: created.join(','), ignore_unavailable: true }).catch(() => undefined);
  await client.close();
});

contactSearchContract('OpenSearchContactSearchEngine', async (contacts) => {
  const base = uniqueName('people').toLowerCase();
  const names = {
    userIndex: `${base}_user_contact`, domainIndex: `${base}_domain_contact`,
    userReadAlias: `${base}_user_read`, domainReadAlias: `${base}_domain_read`,
    userWriteAlias: `${base}_user_write`, domainWriteAlias: `${base}_domain_write`,
    ...DEFAULT_CONTACT_NGRAMS,
  };
  created.push(names.userIndex, names.domainIndex);
  const engine = new OpenSearchContactSearchEngine(client, names);
  await engine.init();
  await engine.init(); // idempotent: an existing index and its aliases are left as they are
  await indexContacts(client, names, contacts);
  return engine;
});
