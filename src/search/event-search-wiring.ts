import type { Client } from '@opensearch-project/opensearch';
import type { Logger } from 'pino';
import type { Config } from '../config/config-types.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import type { MessageBus } from '../events/message-bus.js';
import type { HealthChecks } from '../health/health-check.js';
import type { UserStore } from '../storage/user-store.js';
import type { CalendarTaskRegistry } from '../webadmin/calendar-tasks-routes.js';
import { registerEventIndexer } from './event-indexer.js';
import { davExporter } from '../tasks/calendar-walk.js';
import { reindexTaskFactory } from './event-reindex-task.js';
import { MemoryEventSearch } from './event-search.memory.js';
import { OpenSearchEventSearch } from './event-search.opensearch.js';
import type { EventSearch } from './event-search.js';

export interface EventSearchWiring {
  config: Config;
  /** The shared client, present when `opensearch.properties` is. */
  openSearch: Client | undefined;
  bus: MessageBus;
  users: UserStore;
  caldav: Pick<CalDavClient, 'listCalendars' | 'export'>;
  health: HealthChecks;
  tasks: CalendarTaskRegistry;
  closers: { name: string; close: () => Promise<void> }[];
  logger: Logger;
}

/**
 * Largest bulk for a given indexing prefetch: half of it (at most 500), so that while one bulk is being written the
 * broker can deliver the next one (a message is acked only once its documents are written, so with bulks as large as
 * the prefetch the pipeline stopped at every bulk: deliver, parse, write, ack, wait for the next delivery). Measured in
 * bench/indexing-bench.ts: OpenSearch's CPU per event fell by a third.
 */
export function bulkSizeFor(prefetch: number | undefined): number {
  return prefetch === undefined ? 500 : Math.min(500, Math.max(1, Math.floor(prefetch / 2)));
}

/**
 * Builds the event search capability for main.ts: OpenSearch when `opensearch.properties` is present (index and aliases
 * created if absent), else the in-memory index; subscribes the indexer; registers `task=reindex`.
 */
export async function startEventSearch(w: EventSearchWiring): Promise<EventSearch> {
  let search: EventSearch;
  if (w.config.opensearch && w.openSearch) {
    const os = new OpenSearchEventSearch(w.openSearch, w.config.opensearch, { maxBulk: bulkSizeFor(w.config.rabbitmq?.searchPrefetch) });
    w.closers.push({ name: 'event search refresh', close: async () => os.close() });
    await os.init(w.config.opensearch);
    w.health.register(os);
    search = os;
  } else {
    w.logger.warn('search: in-memory event index (opensearch.properties absent): lost on restart');
    search = new MemoryEventSearch();
  }
  await registerEventIndexer(w.bus, { users: w.users, search, ignoreIfUserNotFound: w.config.jvm.ignoreIfUserNotFound, prefetch: w.config.rabbitmq?.searchPrefetch });
  w.tasks.register('reindex', reindexTaskFactory({ users: w.users, exporter: davExporter(w.caldav), search, logger: w.logger.child({ task: 'reindex' }) }));
  return search;
}

