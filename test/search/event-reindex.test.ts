import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { FakeClock } from '../../src/core/clock.js';
import { BadRequestError } from '../../src/core/errors.js';
import { ReindexEventsTask, reindexTaskFactory } from '../../src/search/event-reindex-task.js';
import type { CalendarExporter } from '../../src/tasks/calendar-walk.js';
import { MemoryEventSearch } from '../../src/search/event-search.memory.js';
import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { MemoryUserStore } from '../../src/storage/user-store.memory.js';
import { doc } from './event-search.contract.js';
import { SERIES_ICS } from './fixtures.js';

const logger = pino({ level: 'silent' });

/** esn-sabre as the reindex sees it: calendars per user id and their ICS exports. */
class FixtureExporter implements CalendarExporter {
  constructor(private readonly calendars: Map<string, { homeId: string; calendarId: string; ics: string | Error }[]>) {}
  async listCalendars(user: { id: string }) {
    return (this.calendars.get(user.id) ?? []).map(({ homeId, calendarId }) => ({ homeId, calendarId }));
  }
  async exportCalendar(user: { id: string }, cal: { homeId: string; calendarId: string }) {
    const found = this.calendars.get(user.id)!.find((c) => c.calendarId === cal.calendarId)!;
    if (found.ics instanceof Error) throw found.ics;
    return found.ics;
  }
}

async function usersWith(...emails: string[]) {
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const domains = new MemoryDomainStore(clock);
  await domains.add('linagora.com');
  const users = new MemoryUserStore(domains, clock);
  return { users, list: await Promise.all(emails.map((e) => users.add(e))) };
}

test('reindex: stale documents dropped, own calendars re-indexed per UID group, shared calendars skipped', async () => {
  const { users, list: [alice] } = await usersWith('alice@linagora.com');
  const search = new MemoryEventSearch();
  await search.index([doc('alice@linagora.com', 'stale')]);
  const exporter = new FixtureExporter(new Map([[alice!.id, [
    { homeId: alice!.id, calendarId: alice!.id, ics: SERIES_ICS },
    { homeId: 'someone-else', calendarId: 'shared', ics: new Error('must not be exported') },
  ]]]));
  const task = new ReindexEventsTask({ users, exporter, search, logger }, 1000);
  assert.equal(await task.run(new AbortController().signal), 'completed');
  assert.deepEqual(task.details(), { processedEventCount: 2, failedEventCount: 0 });
  const found = await search.search({ accountId: 'alice@linagora.com', query: '', limit: 30, offset: 0 });
  assert.deepEqual(found.map((d) => [d.eventUid, d.calendarURL, d.isRecurrentMaster]), [
    ['series-1', `${alice!.id}/${alice!.id}`, true],
    ['series-1', `${alice!.id}/${alice!.id}`, false],
    ['holiday', `${alice!.id}/${alice!.id}`, null],
  ]);
});

test('reindex: a calendar that cannot be exported fails the task, other users are still indexed', async () => {
  const { users, list: [alice, bob] } = await usersWith('alice@linagora.com', 'bob@linagora.com');
  const search = new MemoryEventSearch();
  const exporter = new FixtureExporter(new Map([
    [alice!.id, [{ homeId: alice!.id, calendarId: alice!.id, ics: new Error('esn-sabre 500') }]],
    [bob!.id, [{ homeId: bob!.id, calendarId: bob!.id, ics: SERIES_ICS }]],
  ]));
  const task = new ReindexEventsTask({ users, exporter, search, logger }, 1000);
  await assert.rejects(task.run(new AbortController().signal), /failures/);
  assert.equal((await search.search({ accountId: 'bob@linagora.com', query: '', limit: 30, offset: 0 })).length, 3);
});

test('reindex: eventsPerSecond must be a strictly positive integer', async () => {
  const { users } = await usersWith();
  const factory = reindexTaskFactory({ users, exporter: new FixtureExporter(new Map()), search: new MemoryEventSearch(), logger });
  const req = (eventsPerSecond?: string) => ({ query: eventsPerSecond === undefined ? {} : { eventsPerSecond }, params: {} }) as Parameters<typeof factory>[0];
  assert.equal((await factory(req())).type, 'reindex-calendar-events');
  for (const bad of ['0', '-3', 'abc', '1.5']) await assert.rejects(factory(req(bad)), BadRequestError);
});
