import { Client } from '@opensearch-project/opensearch';
import type { OpenSearchConfig } from '../config/config-types.js';

/** One OpenSearch client from `opensearch.properties` (hosts, basic auth, certificate policy), shared by the indices. */
export function createOpenSearchClient(config: OpenSearchConfig): Client {
  return new Client({
    nodes: config.hosts,
    ...(config.user ? { auth: { username: config.user, password: config.password ?? '' } } : {}),
    ...(config.trustAllCerts ? { ssl: { rejectUnauthorized: false } } : {}),
    maxRetries: 3,
  });
}
