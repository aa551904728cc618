import { Client } from '@opensearch-project/opensearch';
import type { OpenSearchConfig } from '../config/config-types.js';

/** An OpenSearch client from `opensearch.properties` (hosts, basic auth, certificate policy). */
export function createOpenSearchClient(config: OpenSearchConfig): Client {
  return new Client({
    nodes: config.hosts,
    ...(config.user ? { auth: { username: config.user, password: config.password ?? '' } } : {}),
    ...(config.trustAllCerts ? { ssl: { rejectUnauthorized: false } } : {}),
    maxRetries: 3,
  });
}

/**
 * The one client (one connection pool) main.ts shares between the event index and the contact indices, closed with
 * the other resources; undefined without `opensearch.properties`.
 */
export function sharedOpenSearchClient(config: OpenSearchConfig | undefined, closers: { name: string; close: () => Promise<void> }[]): Client | undefined {
  if (!config) return undefined;
  const client = createOpenSearchClient(config);
  closers.push({ name: 'opensearch', close: () => client.close() });
  return client;
}
