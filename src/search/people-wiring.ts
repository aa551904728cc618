import type { Client } from '@opensearch-project/opensearch';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { iconRoutes, IconSet } from '../api/icon-routes.js';
import { peopleRoutes } from '../api/people-routes.js';
import { uploadRoutes } from '../api/upload-routes.js';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import type { Config } from '../config/config-types.js';
import type { Clock } from '../core/clock.js';
import type { DomainStore } from '../storage/domain-store.js';
import { MemoryResourceStore } from '../storage/resource-store.memory.js';
import { MongoResourceStore } from '../storage/resource-store.mongo.js';
import type { ResourceStore } from '../storage/resource-store.js';
import { UploadService } from '../storage/upload-store-quota.js';
import { MemoryUploadStore } from '../storage/upload-store.memory.js';
import { MongoUploadStore } from '../storage/upload-store.mongo.js';
import type { UploadStore } from '../storage/upload-store.js';
import type { UserStore } from '../storage/user-store.js';
import { MemoryContactSearchEngine } from './people-contacts.memory.js';
import { DEFAULT_CONTACT_NGRAMS, OpenSearchContactSearchEngine } from './people-contacts.opensearch.js';
import type { ContactSearchEngine } from './people-contacts.js';
import { PeopleSearchService } from './people-search.js';

/** The stores of people search and uploads, chosen with the other stores in main.ts. */
export interface PeopleStores {
  resources: ResourceStore;
  uploads: UploadStore;
}

export async function mongoPeopleStores(db: Db, clock: Clock, upload: Config['upload']): Promise<PeopleStores> {
  const resources = new MongoResourceStore(db, clock);
  const uploads = new MongoUploadStore(db, clock, upload.expirationMs);
  await Promise.all([resources.init(), uploads.init()]);
  return { resources, uploads };
}

export function memoryPeopleStores(clock: Clock, upload: Config['upload']): PeopleStores {
  return { resources: new MemoryResourceStore(clock), uploads: new MemoryUploadStore(clock, upload.expirationMs) };
}

export interface PeopleWiring {
  config: Config;
  /** The shared client, present when `opensearch.properties` is. */
  openSearch: Client | undefined;
  stores: PeopleStores;
  users: UserStore;
  domains: DomainStore;
  auth: AuthPipeline;
  closers: { name: string; close: () => Promise<void> }[];
  logger: Logger;
}

/**
 * People search, icons and uploads for main.ts: the Twake Mail contact indices on OpenSearch when
 * `opensearch.properties` is present (created if absent; the `OpenSearch Backend` health check is the event index's),
 * else an empty in-memory contact index. Returns the REST route plugins.
 */
export async function startPeopleSearch(w: PeopleWiring): Promise<{ routes: FastifyPluginAsync[]; contacts: ContactSearchEngine }> {
  let contacts: ContactSearchEngine;
  const os = w.config.opensearch;
  if (os && w.openSearch) {
    const engine = new OpenSearchContactSearchEngine(w.openSearch, {
      userIndex: os.contactUserIndex,
      domainIndex: os.contactDomainIndex,
      userReadAlias: os.contactUserReadAlias,
      domainReadAlias: os.contactDomainReadAlias,
      // write aliases and n-gram sizes have no configuration key yet: the reference defaults apply
      userWriteAlias: 'user_contact_write_alias',
      domainWriteAlias: 'domain_contact_write_alias',
      ...DEFAULT_CONTACT_NGRAMS,
    });
    await engine.init();
    contacts = engine;
  } else {
    w.logger.warn('people search: no contact index (opensearch.properties absent): contacts never match');
    contacts = new MemoryContactSearchEngine();
  }
  const people = new PeopleSearchService(
    { contacts, users: w.users, domains: w.domains, resources: w.stores.resources },
    { self: w.config.urls.self, spaCalendar: w.config.urls.spaCalendar },
  );
  const uploads = new UploadService(w.stores.uploads, w.config.upload.userTotalLimitBytes);
  return {
    contacts,
    routes: [
      peopleRoutes({ auth: w.auth, people }),
      iconRoutes({ icons: new IconSet() }),
      uploadRoutes({ auth: w.auth, uploads, userTotalLimitBytes: w.config.upload.userTotalLimitBytes }),
    ],
  };
}
