import type { Logger } from 'pino';
import { NotFoundError } from '../core/errors.js';
import type { BusMessage, MessageBus } from '../events/message-bus.js';
import { SEARCH_DEAD_LETTER_SUFFIX, SEARCH_QUEUES, type SearchAction } from '../events/topology.js';
import type { UserStore } from '../storage/user-store.js';
import { documentsFromJcal, parseEventPath, uidsOfJcal } from './event-document.js';
import type { EventSearch } from './event-search.js';

export interface EventIndexerDeps {
  users: Pick<UserStore, 'retrieveById'>;
  search: EventSearch;
  /** `-Dcalendar.event.consumer.ignoreIfUserNotFound`: ack instead of failing when the calendar owner is unknown. */
  ignoreIfUserNotFound: boolean;
  /** Messages in flight per queue (`search.prefetch.count`); the bus default when absent. */
  prefetch?: number;
}

/** Subscribes the five search queues of spec events-mail.md 1.3 (1.5.1/1.5.2). */
export async function registerEventIndexer(bus: MessageBus, deps: EventIndexerDeps): Promise<void> {
  for (const { action, exchange, queue } of SEARCH_QUEUES) {
    await bus.subscribe({ exchange, queue, deadLetterSuffix: SEARCH_DEAD_LETTER_SUFFIX, prefetch: deps.prefetch, handler: (m, log) => handleSearchMessage(deps, action, m, log) });
  }
}

/**
 * One indexing message: resolve the owner from the path's home id, then index (created), replace (updated/request) or
 * delete by UID (deleted/cancel), in the path's calendar only: an event moved between two calendars of the account is
 * a `deleted` on the old path and a `created` on the new one, on different queues, so in either order. A throw
 * dead-letters the message (after the bus's retries).
 */
export async function handleSearchMessage(deps: EventIndexerDeps, action: SearchAction, message: BusMessage, log: Logger): Promise<void> {
  const payload = (message.payload ?? {}) as { eventPath?: unknown; event?: unknown };
  const { homeId, calendarId, file } = parseEventPath(payload.eventPath);
  const owner = await deps.users.retrieveById(homeId); // a home id that is no user id is no user (port guarantee)
  if (!owner) {
    if (deps.ignoreIfUserNotFound) {
      log.info({ homeId }, 'calendar owner unknown: message ignored');
      return;
    }
    throw new NotFoundError(`No user with id ${homeId} (owner of ${String(payload.eventPath)})`);
  }
  const accountId = owner.username;
  const calendarURL = `${homeId}/${calendarId}`;
  if (action === 'deleted' || action === 'cancel') {
    for (const uid of uidsOfJcal(payload.event)) {
      // A failed delete is logged and the message acked, as the reference does: retrying would not help a bad query.
      await deps.search.deleteEvent(accountId, calendarURL, uid).catch((err: unknown) => log.error({ err, uid }, 'could not delete indexed event'));
    }
    return;
  }
  const documents = documentsFromJcal(payload.event, accountId, calendarURL, file);
  // A series whose overrides changed: drop the UID's documents of this calendar first so removed occurrences disappear
  // (documents indexed under the ids of earlier versions too, since the delete goes by fields).
  if (action !== 'created' && documents.length > 1) {
    for (const uid of new Set(documents.map((d) => d.eventUid))) await deps.search.deleteEvent(accountId, calendarURL, uid);
  }
  await deps.search.index(documents);
  log.debug({ count: documents.length }, 'events indexed');
}
