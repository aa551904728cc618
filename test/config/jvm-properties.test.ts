import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { envNameFor } from '../../src/config/config-reader.js';
import { MemoryMessageBus } from '../../src/events/message-bus.memory.js';
import { calendarQueueArguments } from '../../src/events/message-bus.rabbitmq.js';
import { BASE_ENV, startForTest } from '../support/sidecal.js';

function confDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sidecal-conf-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('jvm.properties: reference defaults when the file is absent', () => {
  const { config } = loadConfig(BASE_ENV, confDir({}));
  assert.deepEqual(config.jvm, { fallbackClassicQueuesV1: false, ignoreIfUserNotFound: false, watchdogDelayStartUpMs: 30_000 });
});

test('jvm.properties is read like James does (system properties file); its other entries raise no warning', () => {
  const dir = confDir({
    'jvm.properties': [
      '# Extra JVM system properties',
      'fallback.classic.queues.v1=true',
      'calendar.event.consumer.ignoreIfUserNotFound=true',
      'scheduled.consumer.reconnection.delayStartUp=PT2M',
      'james.exit.on.startup.error=true',
      'twake.calendar.smtp.max-retries=3',
    ].join('\n'),
  });
  const { config, warnings } = loadConfig(BASE_ENV, dir);
  assert.deepEqual(config.jvm, { fallbackClassicQueuesV1: true, ignoreIfUserNotFound: true, watchdogDelayStartUpMs: 120_000 });
  assert.deepEqual(warnings, []);
});

test('jvm.properties keys are overridden by JVM_-prefixed environment variables; bare numbers are milliseconds', () => {
  assert.equal(envNameFor('jvm', 'fallback.classic.queues.v1'), 'JVM_FALLBACK_CLASSIC_QUEUES_V1');
  const dir = confDir({ 'jvm.properties': 'fallback.classic.queues.v1=true\nscheduled.consumer.reconnection.delayStartUp=10s' });
  const { config } = loadConfig(
    {
      ...BASE_ENV,
      JVM_FALLBACK_CLASSIC_QUEUES_V1: 'false',
      JVM_CALENDAR_EVENT_CONSUMER_IGNOREIFUSERNOTFOUND: 'true',
      JVM_SCHEDULED_CONSUMER_RECONNECTION_DELAYSTARTUP: '1500',
    },
    dir,
  );
  assert.deepEqual(config.jvm, { fallbackClassicQueuesV1: false, ignoreIfUserNotFound: true, watchdogDelayStartUpMs: 1500 });
});

test('bad jvm.properties values fail start-up with the other problems', () => {
  const dir = confDir({ 'jvm.properties': 'fallback.classic.queues.v1=maybe\nscheduled.consumer.reconnection.delayStartUp=-5s' });
  assert.throws(
    () => loadConfig(BASE_ENV, dir),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.problems.some((p) => p.startsWith('jvm.properties fallback.classic.queues.v1')) &&
      e.problems.some((p) => p.includes('delayStartUp must not be negative')),
  );
});

test('rabbitmq.properties watchdog keys: interval in seconds by default, management API settings', () => {
  const dir = confDir({
    'rabbitmq.properties': 'uri=amqp://r:5672\nmanagement.uri=http://r:15672\nmanagement.user=admin\nmanagement.password=pw\nscheduled.consumer.reconnection.interval=90',
  });
  const { config } = loadConfig(BASE_ENV, dir);
  assert.equal(config.rabbitmq?.reconnectionEnabled, true);
  assert.equal(config.rabbitmq?.reconnectionIntervalMs, 90_000);
  assert.equal(config.rabbitmq?.managementUser, 'admin');
});

test('fallback.classic.queues.v1 drops x-queue-version from classic queues only', () => {
  const quorum = { enabled: true, replicationFactor: 3 };
  assert.deepEqual(calendarQueueArguments(false, quorum), { 'x-queue-version': 2 });
  assert.deepEqual(calendarQueueArguments(false, quorum, true), {});
  assert.deepEqual(calendarQueueArguments(true, quorum, true), { 'x-queue-type': 'quorum', 'x-quorum-initial-group-size': 3 });
});

/** An indexing message whose calendar owner does not exist. */
const ORPHAN = { eventPath: '/calendars/65f1c0ffee0000000000dead/65f1c0ffee0000000000dead/x.ics', event: ['vcalendar', [], []] };

test('calendar.event.consumer.ignoreIfUserNotFound reaches the indexer: unknown owners are acked, not dead-lettered', async () => {
  for (const [env, deadLettered] of [[{}, 1], [{ JVM_CALENDAR_EVENT_CONSUMER_IGNOREIFUSERNOTFOUND: 'true' }, 0]] as const) {
    const s = await startForTest(env);
    try {
      const bus = s.bus as MemoryMessageBus;
      await bus.publish('calendar:event:created', ORPHAN);
      await bus.idle();
      assert.equal(bus.deadLetters.get('tcalendar:event:created:search-dead-letter')?.length ?? 0, deadLettered, JSON.stringify(env));
    } finally {
      await s.close();
    }
  }
});
