import type { Client } from '@opensearch-project/opensearch';
import type { OpenSearchConfig } from '../config/config-types.js';
import type { HealthCheck, HealthResult } from '../health/health-check.js';
import type { EventDocument } from './event-document.js';
import { EVENT_INDEX_ADDED_FIELDS, EVENT_INDEX_MAPPING, eventIndexSettings } from './event-index.js';
import { GroupCommit } from './group-commit.js';
import { checkSearchScope, documentId, type EventSearch, type EventSearchQuery } from './event-search.js';

/** OpenSearch's default `index.max_result_window`: `from + size` beyond it is refused (a 400 that became a 500). */
const MAX_RESULT_WINDOW = 10_000;

type Names = Pick<OpenSearchConfig, 'eventsIndex' | 'eventsReadAlias' | 'eventsWriteAlias'>;

/**
 * OpenSearch adapter: writes go through the write alias, reads through the read alias, routing = account (a search of
 * the calendars scope, which spans accounts, is not routed).
 *
 * Writes do not refresh one by one: a refresh per write costs a refresh of every shard and was the whole cost of
 * indexing (0.06 of OpenSearch's bulk rate). Instead, concurrent `index` calls (the consumers' prefetched messages) are
 * group-committed into one bulk request, and the first write after a refresh schedules one refresh `refreshDelayMs`
 * later (200 ms): at most one refresh per window whatever the load, and an event is searchable within a bulk plus that
 * delay (the "searchable within a second" promise; the index's own 1 s periodic refresh would give no margin).
 * Delete-by-query only sees refreshed documents, so a delete that follows unrefreshed writes refreshes first: a
 * created-then-deleted event never lingers.
 */
export class OpenSearchEventSearch implements EventSearch, HealthCheck {
  readonly componentName = 'OpenSearch Backend';

  private readonly writes: GroupCommit<EventDocument>;
  /** Set by every bulk write, cleared by the refresh a delete-by-query does first. */
  private unrefreshed = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly refreshDelayMs: number;

  constructor(
    private readonly client: Client,
    private readonly names: Names,
    options: { maxBulk?: number; refreshDelayMs?: number; lingerMs?: number } = {},
  ) {
    this.writes = new GroupCommit((docs) => this.bulk(docs), options.maxBulk ?? 500, options.lingerMs ?? 3);
    this.refreshDelayMs = options.refreshDelayMs ?? 200;
  }

  /**
   * Creates the index with settings and mapping if absent, else adds to its mapping the fields added since
   * (EVENT_INDEX_ADDED_FIELDS; existing fields are never changed); then each alias if missing.
   */
  async init(config: OpenSearchConfig): Promise<void> {
    const index = this.names.eventsIndex;
    let created = false;
    if (!(await this.client.indices.exists({ index })).body) {
      try {
        await this.client.indices.create({ index, body: { settings: eventIndexSettings(config), mappings: EVENT_INDEX_MAPPING } as never });
        created = true;
      } catch (err) {
        // Another sidecal instance (maybe of an older version) created it between our check and our create.
        if (!String((err as Error).message).includes('resource_already_exists_exception')) throw err;
      }
    }
    if (!created) await this.client.indices.putMapping({ index, body: { properties: EVENT_INDEX_ADDED_FIELDS } as never });
    for (const name of [this.names.eventsReadAlias, this.names.eventsWriteAlias]) {
      if (!(await this.client.indices.existsAlias({ name })).body) await this.client.indices.putAlias({ index, name });
    }
  }

  index(documents: EventDocument[]): Promise<void> {
    return this.writes.submit(documents);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (!this.unrefreshed) return;
      this.unrefreshed = false;
      // A failed refresh only delays visibility until the index's periodic refresh: nothing to retry.
      this.client.indices.refresh({ index: this.names.eventsWriteAlias }).catch(() => undefined);
    }, this.refreshDelayMs);
    this.refreshTimer.unref();
  }

  /** Stops the pending refresh (the client is closed by its owner). */
  close(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  /** One bulk request; per document, undefined or the error OpenSearch gave for it. */
  private async bulk(documents: EventDocument[]): Promise<(Error | undefined)[]> {
    const body = documents.flatMap((d) => [{ index: { _index: this.names.eventsWriteAlias, _id: documentId(d), routing: d.accountId } }, d]);
    const res = await this.client.bulk({ body, refresh: false });
    this.unrefreshed = true;
    this.scheduleRefresh();
    if (!res.body.errors) return documents.map(() => undefined);
    return res.body.items.map((i) => (i.index?.error ? new Error(`OpenSearch bulk indexing failed: ${JSON.stringify(i.index.error)}`) : undefined));
  }

  /** By fields, not by id: it also reaches documents written under the ids of earlier versions. */
  async deleteEvent(accountId: string, calendarURL: string, uid: string): Promise<void> {
    await this.deleteByQuery(accountId, { bool: { filter: [{ term: { accountId } }, { term: { calendarURL } }, { term: { eventUid: uid } }] } });
  }

  async deleteAll(accountId: string): Promise<void> {
    await this.deleteByQuery(accountId, { term: { accountId } });
  }

  async search(q: EventSearchQuery): Promise<EventDocument[]> {
    checkSearchScope(q);
    if (q.accountId === undefined && q.calendarURLs.length === 0) return [];
    // Documents past the window cannot be paged to; a page reaching into it is cut where it starts.
    if (q.offset >= MAX_RESULT_WINDOW) return [];
    const size = Math.min(q.limit, MAX_RESULT_WINDOW - q.offset);
    const must: unknown[] = q.accountId === undefined ? [] : [{ term: { accountId: q.accountId } }];
    if (q.calendarURLs && q.calendarURLs.length > 0) must.push({ terms: { calendarURL: q.calendarURLs } });
    if (q.query.trim() !== '') {
      must.push({
        bool: {
          should: [
            { multi_match: { query: q.query, fields: ['summary', 'description', 'location'] } },
            ...['organizer.email', 'organizer.cn', 'attendees.email', 'attendees.cn'].map((field) => ({ match: { [field]: q.query } })),
          ],
          minimum_should_match: 1,
        },
      });
    }
    if (q.organizers && q.organizers.length > 0) must.push({ terms: { 'organizer.email.raw': q.organizers } });
    if (q.attendees && q.attendees.length > 0) must.push({ terms: { 'attendees.email.raw': q.attendees } });
    if (q.bookingLink !== undefined) must.push({ term: { bookingLinkId: q.bookingLink } });
    const res = await this.client.search({
      index: this.names.eventsReadAlias,
      // Documents are routed by owner account: the calendars scope spans accounts, so it asks every shard.
      ...(q.accountId === undefined ? {} : { routing: q.accountId }),
      body: { query: { bool: { must } }, sort: [{ start: { order: 'asc', missing: '_last' } }], from: q.offset, size } as never,
    });
    return res.body.hits.hits.map((h) => h._source as unknown as EventDocument);
  }

  async check(): Promise<HealthResult> {
    try {
      const res = await this.client.cluster.health({});
      const status = String(res.body.status);
      return status === 'red' ? { status: 'unhealthy', cause: 'OpenSearch cluster status is red' } : { status: 'healthy' };
    } catch (err) {
      return { status: 'unhealthy', cause: `OpenSearch unreachable: ${(err as Error).message}` };
    }
  }

  private async deleteByQuery(accountId: string, query: unknown): Promise<void> {
    if (this.unrefreshed) {
      this.unrefreshed = false;
      await this.client.indices.refresh({ index: this.names.eventsWriteAlias });
    }
    // Conflicts (a concurrent write to a matched document) are retried, as the reference does, up to 3 times.
    for (let attempt = 1; ; attempt++) {
      const res = await this.client.deleteByQuery({ index: this.names.eventsWriteAlias, routing: accountId, conflicts: 'proceed', refresh: true, body: { query } as never });
      if (!(res.body as { version_conflicts?: number }).version_conflicts || attempt >= 3) return;
    }
  }
}
