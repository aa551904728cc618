/**
 * Composition root, the map of sidecal: read the configuration, pick each backend (memory or real), build the services
 * with plain constructors, start the REST and webadmin servers and the consumers, and close everything in reverse on
 * SIGTERM. Read it top to bottom.
 */
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import { AuthPipeline } from './auth/auth-pipeline.js';
import { addTokenStrategies } from './auth/auth-wiring.js';
import { authRoutes } from './api/auth-routes.js';
import { revokedTokenRoutes } from './webadmin/revoked-token-routes.js';
import { BasicStrategy } from './auth/basic-strategy.js';
import { buildRestServer } from './api/rest-server.js';
import { JwtService } from './auth/jwt-service.js';
import { TechnicalTokenService } from './auth/technical-token.js';
import { DavProxy } from './proxy/dav-proxy.js';
import { LegacyProxy } from './proxy/legacy-proxy.js';
import { proxyDispatch } from './proxy/proxy-dispatch.js';
import { calendarExportRoutes } from './api/calendar-export-routes.js';
import { secretLinkRoutes } from './api/secret-link-routes.js';
import { avatarRoutes } from './api/avatar-routes.js';
import { configurationRoutes } from './api/configuration-routes.js';
import { domainRoutes } from './api/domain-routes.js';
import { themesRoutes } from './api/themes-routes.js';
import { userRoutes } from './api/user-routes.js';
import { usersRoutes as openPaaSUsersRoutes } from './api/users-routes.js';
import { ConfigurationService } from './settings/configuration-service.js';
import { UserDirectory } from './settings/user-directory.js';
import { domainSettingsRoutes } from './api/domain-settings-routes.js';
import { DomainSettingsService } from './settings/domain-settings-service.js';
import { MemoryDomainSettingsStore } from './storage/domain-settings-store.memory.js';
import { MongoDomainSettingsStore } from './storage/domain-settings-store.mongo.js';
import type { DomainSettingsStore } from './storage/domain-settings-store.js';
import { MemoryConfigurationStore } from './storage/configuration-store.memory.js';
import { MongoConfigurationStore } from './storage/configuration-store.mongo.js';
import type { ConfigurationStore } from './storage/configuration-store.js';
import { participationRoutes } from './api/participation-routes.js';
import { ParticipationService } from './calendar/participation-service.js';
import { PartStatUpdater } from './calendar/partstat-updater.js';
import { SecretLinkService } from './calendar/secret-link-service.js';
import { MemorySecretLinkStore } from './calendar/secret-link-store.memory.js';
import { MongoSecretLinkStore } from './calendar/secret-link-store.mongo.js';
import type { SecretLinkStore } from './calendar/secret-link-store.js';
import { CalDavClient } from './dav/caldav-client.js';
import { DavClient } from './dav/dav-client.js';
import { registerAlarmConsumers } from './alarms/alarm-consumer.js';
import { storedAlarmSettings } from './alarms/alarm-ports.js';
import { MemoryAlarmLease, MemoryAlarmStore } from './alarms/alarm-store.memory.js';
import { MongoAlarmLease, MongoAlarmStore } from './alarms/alarm-store.mongo.js';
import type { AlarmLease, AlarmStore } from './alarms/alarm-store.js';
import { scheduleAlarmsTaskFactory } from './alarms/schedule-alarms-task.js';
import { AlarmEmailRenderer, PipelineAlarmMailer } from './alarms/alarm-mailer.js';
import { AlarmScheduler } from './alarms/alarm-scheduler.js';
import { registerMailConsumers } from './mail/itip-notification-consumer.js';
import { wireResourceModeration } from './mail/resource-moderation-consumer.js';
import { LoggingMailer } from './mail/mailer.logging.js';
import { SmtpMailer } from './mail/mailer.smtp.js';
import { recipientSettings } from './mail/recipient-settings.js';
import { importReportListener, readMailLogo } from './mail/import-report.js';
import { ImportService } from './calendar/import-service.js';
import { importRoutes } from './api/import-routes.js';
import { TemplateRenderer } from './mail/template-renderer.js';
import { MemoryMessageBus } from './events/message-bus.memory.js';
import { calendarQueueArguments, RabbitMqMessageBus } from './events/message-bus.rabbitmq.js';
import { consumerWatchdogFor, type ConsumerWatchdog } from './events/consumer-watchdog.js';
import type { MessageBus } from './events/message-bus.js';
import { startEventSearch } from './search/event-search-wiring.js';
import { eventSearchRoutes } from './api/event-search-routes.js';
import { EventSearchScope } from './search/event-search-scope.js';
import { memoryPeopleStores, mongoPeopleStores, startPeopleSearch, type PeopleStores } from './search/people-wiring.js';
import { sharedOpenSearchClient } from './search/opensearch-client.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { systemClock, type Clock } from './core/clock.js';
import type { Closeable } from './core/closeable.js';
import { HealthChecks, LifecycleHealthCheck } from './health/health-check.js';
import { Metrics } from './http/metrics.js';
import type { App } from './http/server.js';
import { MemoryDomainStore } from './storage/domain-store.memory.js';
import { MongoDomainStore } from './storage/domain-store.mongo.js';
import { provisionDomains, type DomainStore } from './storage/domain-store.js';
import { connectMongo, indexFallbacks } from './storage/mongo.js';
import { MemoryUserStore } from './storage/user-store.memory.js';
import { MongoUserStore } from './storage/user-store.mongo.js';
import type { UserStore } from './storage/user-store.js';
import { MemoryTaskManager } from './tasks/task-manager.memory.js';
import { MemoryCredentialsStore } from './users/credentials-store.memory.js';
import { startLdap } from './ldap/ldap-wiring.js';
import { DomainMembersClient } from './dav/carddav-client.js';
import { DavUserDataDeletion } from './dav/user-data-deletion.js';
import { DomainMembersSync } from './contacts/domain-members-sync.js';
import { domainMembersSyncTaskFactory } from './contacts/domain-members-sync-task.js';
import { userDataDeletionRoutes } from './webadmin/user-data-deletion-routes.js';
import { userDataDeletionSteps } from './webadmin/user-data-deletion-task.js';
import { CalendarTaskRegistry, calendarTasksRoutes } from './webadmin/calendar-tasks-routes.js';
import { domainsRoutes } from './webadmin/domains-routes.js';
import { healthAndMetricsRoutes } from './webadmin/healthcheck-routes.js';
import { registeredUsersRoutes } from './webadmin/registered-users-routes.js';
import { tasksRoutes } from './webadmin/tasks-routes.js';
import { usersRoutes } from './webadmin/users-routes.js';
import { buildWebadminServer } from './webadmin/webadmin-server.js';

export interface Sidecal {
  rest: App;
  webadmin: App | undefined;
  /** Base URLs once listening (`http://127.0.0.1:PORT`). */
  restUrl: string;
  webadminUrl: string | undefined;
  /** The message bus the consumers listen on (RabbitMQ, or the in-process one). */
  bus: MessageBus;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  /** Do not bind ports (tests use `inject`). */
  listen?: boolean;
}

export async function startSidecal(config: Config, options: StartOptions = {}): Promise<Sidecal> {
  const logger = options.logger ?? pino({ level: 'info' });
  const clock = options.clock ?? systemClock;
  const closers: { name: string; close: Closeable['close'] }[] = [];
  const metrics = new Metrics();
  const health = new HealthChecks();
  const lifecycle = new LifecycleHealthCheck();
  health.register(lifecycle);
  try {
    // --- storage: MongoDB when mongo.url is set, else memory
    let domains: DomainStore;
    let users: UserStore;
    let secretLinkStore: SecretLinkStore;
    let configurationStore: ConfigurationStore;
    let domainSettingsStore: DomainSettingsStore;
    let alarmStore: AlarmStore;
    let alarmLease: AlarmLease;
    let peopleStores: PeopleStores;
    if (config.mongo) {
      const mongo = await connectMongo(config.mongo.url, config.mongo.database);
      closers.push({ name: 'mongodb', close: mongo.close });
      const mongoDomains = new MongoDomainStore(mongo.db, clock);
      const mongoUsers = new MongoUserStore(mongo.db, mongoDomains, clock);
      const mongoSecretLinks = new MongoSecretLinkStore(mongo.db);
      const mongoAlarms = new MongoAlarmStore(mongo.db);
      const mongoLease = new MongoAlarmLease(mongo.db, clock);
      await Promise.all([mongoDomains.init(), mongoUsers.init(), mongoSecretLinks.init(), mongoAlarms.init(), mongoLease.init()]);
      secretLinkStore = mongoSecretLinks;
      configurationStore = new MongoConfigurationStore(mongo.db);
      const mongoDomainSettings = new MongoDomainSettingsStore(mongo.db);
      await mongoDomainSettings.init();
      domainSettingsStore = mongoDomainSettings;
      alarmStore = mongoAlarms;
      alarmLease = mongoLease;
      peopleStores = await mongoPeopleStores(mongo.db, clock, config.upload);
      for (const w of indexFallbacks.splice(0)) logger.warn({ index: w }, 'MongoDB server lacks an index option');
      domains = mongoDomains;
      users = mongoUsers;
      health.register({
        componentName: 'MongoDB',
        check: async () => (await mongo.db.command({ ping: 1 }), { status: 'healthy' }),
      });
      logger.info({ database: config.mongo.database }, 'storage: MongoDB');
    } else {
      domains = new MemoryDomainStore(clock);
      users = new MemoryUserStore(domains, clock);
      secretLinkStore = new MemorySecretLinkStore();
      configurationStore = new MemoryConfigurationStore();
      domainSettingsStore = new MemoryDomainSettingsStore();
      alarmStore = new MemoryAlarmStore();
      alarmLease = new MemoryAlarmLease(clock);
      peopleStores = memoryPeopleStores(clock, config.upload);
      logger.warn('storage: in memory (mongo.url not set): data is lost on restart');
    }
    await provisionDomains(domains, config.domains);

    // --- users and authentication
    // LDAP mode (usersrepository.xml present): read-only LDAP users for Basic auth and /users, LDAP health check
    const ldap = config.ldap ? startLdap(config.ldap, { health, closers, logger }) : undefined;
    const credentials = ldap?.credentials ?? new MemoryCredentialsStore();
    const auth = new AuthPipeline([
      new BasicStrategy({ admin: config.admin, credentials, usersEnabled: config.basicAuthEnabled }),
    ]);
    // OpenPaaS user, domain and settings views (user settings in the shared `configurations` collection)
    const userSettings = new ConfigurationService(configurationStore, {
      defaults: config.defaults,
      davUrl: config.dav.url,
      visioUrl: config.urls.visio,
      twpSettingsEnabled: config.twp.settingsEnabled,
    });
    const directory = new UserDirectory({ users, domains, credentials, settings: userSettings });
    const domainSettings = new DomainSettingsService(domainSettingsStore, config.domainSettings);

    // --- messaging: RabbitMQ when rabbitmq.properties is present, else the in-process bus (embedded mode)
    let bus: MessageBus;
    let watchdog: ConsumerWatchdog | undefined;
    if (config.rabbitmq) {
      const rabbit = new RabbitMqMessageBus({
        uri: config.rabbitmq.uri,
        logger: logger.child({ component: 'amqp' }),
        prefetch: config.rabbitmq.prefetch,
        maxRetries: config.rabbitmq.maxRetries,
        queueArguments: calendarQueueArguments(
          config.dav.queuesQuorumBypass,
          { enabled: config.rabbitmq.quorumQueues, replicationFactor: config.rabbitmq.quorumReplicationFactor },
          config.jvm.fallbackClassicQueuesV1,
        ),
        registry: metrics.registry,
      });
      await rabbit.start();
      health.register(rabbit);
      bus = rabbit;
      watchdog = consumerWatchdogFor(config.rabbitmq, config.jvm, rabbit, logger.child({ component: 'amqp-watchdog' }), metrics.registry);
    } else {
      logger.warn('messaging: in-process event bus (rabbitmq.properties absent)');
      health.register({ componentName: 'RabbitMQ backend', check: async () => ({ status: 'healthy', cause: 'embedded in-process event bus (rabbitmq.properties absent)' }) });
      bus = new MemoryMessageBus({ logger: logger.child({ component: 'bus' }) });
    }
    closers.push({ name: 'message bus', close: () => bus.close() });
    if (watchdog) {
      const w = watchdog;
      closers.push({ name: 'consumer watchdog', close: () => w.close() });
      w.start();
    }

    // --- tasks
    const tasks = new MemoryTaskManager({ clock, logger });
    closers.push({ name: 'tasks', close: () => tasks.close() });
    const calendarTasks = new CalendarTaskRegistry();

    // --- esn-sabre: DAV client and the two proxies (unmatched requests: /dav/* → esn-sabre, else legacy OpenPaaS)
    const jwt = await JwtService.create(config.jwt, config.confDir, logger, clock);
    const technicalTokens = new TechnicalTokenService(config.jwt.technicalTokenSecret, config.jwt.technicalTokenExpirationMs, clock);
    // Bearer and cookie strategies after Basic (JWT → OIDC → lemon); the OIDC token cache (Redis or memory)
    const oidcTokens = addTokenStrategies(auth, { config, jwt, users, domains, clock, logger, health, closers });
    const davProxy = new DavProxy(config.dav, auth, metrics);
    closers.push({ name: 'dav proxy', close: () => davProxy.close() });
    const legacyProxy = new LegacyProxy({
      backendUrl: config.legacy.backendUrl,
      trustAllCertificates: config.legacy.trustAllCertificates,
      responseTimeoutMs: config.dav.responseTimeoutMs,
      auth,
      jwt,
    });
    closers.push({ name: 'legacy proxy', close: () => legacyProxy.close() });
    const davClient = new DavClient(config.dav, technicalTokens);
    closers.push({ name: 'dav client', close: () => davClient.close() });
    const caldav = new CalDavClient(davClient);
    const secretLinks = new SecretLinkService(secretLinkStore, users, caldav, config.urls.self, logger.child({ component: 'secret-links' }));
    const participation = new ParticipationService(
      { jwt, users, caldav, updater: new PartStatUpdater(caldav, clock) },
      { spaExcalUrl: config.urls.spaExcal, defaultLanguage: config.defaults.language },
    );

    // --- alarms: AMQP alarm messages → stored entries → scheduler → event-alarm emails
    const alarmSettings = storedAlarmSettings({ users, settings: userSettings, defaults: config.defaults });
    const alarmDeps = { store: alarmStore, users, settings: alarmSettings, whitelist: config.mail.recipientWhitelist, now: () => clock.now() };
    await registerAlarmConsumers(bus, {
      ...alarmDeps,
      source: { fetch: async (owner, eventPath) => (await caldav.fetch({ kind: 'user', email: owner }, eventPath))?.ics },
    });
    calendarTasks.register('scheduleAlarms', scheduleAlarmsTaskFactory({ ...alarmDeps, caldav, logger: logger.child({ task: 'scheduleAlarms' }) }));

    // --- event search: the five search queues feed OpenSearch (or the in-memory index); webadmin task=reindex
    const openSearch = sharedOpenSearchClient(config.opensearch, closers);
    const eventSearch = await startEventSearch({ config, openSearch, bus, users, caldav, health, tasks: calendarTasks, closers, logger });
    // --- people search (contacts, users, resources), resource icons, uploads
    const people = await startPeopleSearch({ config, openSearch, stores: peopleStores, users, domains, auth, closers, logger: logger.child({ component: 'people' }) });

    // --- iTIP emails: calendar:event:notificationEmail:send → invite/update/cancel/reply/counter over SMTP (or logged)
    const itipMailer = config.smtp ? new SmtpMailer(config.smtp, logger.child({ component: 'mail' }), { registry: metrics.registry }) : new LoggingMailer(logger.child({ component: 'mail' }));
    if (itipMailer instanceof SmtpMailer) closers.push({ name: 'itip smtp', close: async () => itipMailer.close() });
    const mailRenderer = new TemplateRenderer(config.mail.templateLocation);
    const mailRecipients = recipientSettings({ users, defaults: config.defaults, settings: userSettings });
    await registerMailConsumers(bus, {
      mailer: itipMailer,
      whitelist: config.mail.recipientWhitelist,
      renderer: mailRenderer,
      settings: mailRecipients,
      jwt,
      spaCalendarUrl: config.urls.spaCalendar,
      spaExcalUrl: config.urls.spaExcal,
    });
    // --- resource moderation: resource:calendar:event:* → auto-accept or resource-request/-reply emails; the admins' link route
    const resourceParticipationRoutes = await wireResourceModeration({
      bus, resources: peopleStores.resources, users, domains, caldav, clock, jwt, mailer: itipMailer, whitelist: config.mail.recipientWhitelist,
      mail: { renderer: mailRenderer, settings: mailRecipients, sender: config.mail.sender, selfUrl: config.urls.self }, spaCalendarUrl: config.urls.spaCalendar,
    });

    // --- import of uploaded ICS / vCard files into esn-sabre; the report goes to the importing user by email
    const importLog = logger.child({ component: 'import' });
    const imports = new ImportService(
      peopleStores.uploads,
      caldav,
      importReportListener({ mailer: itipMailer, renderer: mailRenderer, settings: mailRecipients, sender: config.mail.sender, spaCalendarUrl: config.urls.spaCalendar, spaContactsUrl: config.urls.spaContacts, logger: importLog, logo: readMailLogo(config.mail.templateLocation) }),
      importLog,
    );
    closers.push({ name: 'imports', close: () => imports.close() });

    // --- LDAP → esn-sabre domain-members address books (webadmin task=sync, LDAP mode only); user data deletion steps
    if (ldap) {
      const sync = new DomainMembersSync(ldap.members, new DomainMembersClient(davClient), logger.child({ task: 'sync-domain-members' }));
      calendarTasks.register('sync', domainMembersSyncTaskFactory({ sync, domains, logger: logger.child({ task: 'sync-domain-members' }) }));
    }
    const userDataSteps = userDataDeletionSteps({ users, dav: new DavUserDataDeletion(davClient, caldav), index: eventSearch });
    if (!config.smtp) logger.warn('mail: emails are logged, not sent (smtp.host not set)');
    if (config.alarms.mode !== 'disabled') {
      const scheduler = new AlarmScheduler({
        store: alarmStore,
        lease: config.alarms.mode === 'cluster' ? alarmLease : undefined,
        mailer: new PipelineAlarmMailer(new AlarmEmailRenderer(mailRenderer), config.mail.sender, itipMailer),
        settings: alarmSettings,
        clock,
        logger: logger.child({ component: 'alarm-scheduler' }),
        batchSize: config.alarms.batchSize,
        pollIntervalMs: config.alarms.pollIntervalMs,
        initialJitterMaxMs: config.alarms.initialJitterMaxMs,
        leaseTtlMs: config.alarms.leaseTtlMs,
        registry: metrics.registry,
      });
      scheduler.start();
      closers.push({ name: 'alarm scheduler', close: () => scheduler.close() });
    }

    // --- servers
    const rest = await buildRestServer({
      logger,
      metrics,
      bodyLimit: config.rest.bodyLimitBytes,
      routes: [
        userRoutes({ auth, directory }),
        openPaaSUsersRoutes({ auth, directory }),
        avatarRoutes({ directory, selfUrl: config.urls.self }),
        themesRoutes({ auth, spaCalendarUrl: config.urls.spaCalendar }),
        domainRoutes({ auth, directory }),
        configurationRoutes({ auth, directory, settings: userSettings }),
        domainSettingsRoutes({ auth, domainSettings }),
        secretLinkRoutes({ auth, secretLinks }),
        calendarExportRoutes({ secretLinks }),
        participationRoutes({ participation }),
        resourceParticipationRoutes,
        eventSearchRoutes({ auth, search: eventSearch, scope: new EventSearchScope({ users, caldav }) }),
        ...people.routes,
        importRoutes({ auth, imports }),
        authRoutes({ auth, jwt, technicalTokens, domains }),
      ],
      notFound: proxyDispatch(davProxy, legacyProxy),
    });
    const webadmin = config.webadmin.enabled
      ? await buildWebadminServer({
          config: config.webadmin,
          confDir: config.confDir,
          logger,
          metrics,
          routes: [
            domainsRoutes({ domains, users }),
            usersRoutes({ credentials, domains }),
            userDataDeletionRoutes({ credentials, tasks, steps: userDataSteps, logger: logger.child({ task: 'DeleteUserDataTask' }) }),
            registeredUsersRoutes({ users }),
            tasksRoutes({ tasks }),
            calendarTasksRoutes({ registry: calendarTasks, tasks, domainMembers: config.ldap !== undefined }),
            healthAndMetricsRoutes({ health, metrics }),
            revokedTokenRoutes({ cache: oidcTokens.cache, reader: oidcTokens.logoutTokens, logger: logger.child({ component: 'oidc' }) }),
          ],
        })
      : undefined;

    let restUrl = '';
    let webadminUrl: string | undefined;
    if (options.listen !== false) {
      restUrl = await rest.listen({ port: config.rest.port, host: config.rest.host });
      if (webadmin) webadminUrl = await webadmin.listen({ port: config.webadmin.port, host: config.webadmin.host });
    } else {
      await rest.ready();
      await webadmin?.ready();
    }
    lifecycle.markStarted();
    logger.info({ rest: restUrl || 'not listening', webadmin: webadminUrl ?? (webadmin ? 'not listening' : 'disabled') }, 'sidecal started');

    return {
      rest,
      webadmin,
      restUrl,
      webadminUrl,
      bus,
      close: async () => {
        lifecycle.markStopping();
        // Servers first (stop accepting, let in-flight requests finish), then consumers and jobs, then clients.
        await Promise.allSettled([rest.close(), webadmin?.close()]);
        await closeAll(closers, logger);
      },
    };
  } catch (e) {
    await closeAll(closers, logger);
    throw e;
  }
}

async function closeAll(closers: { name: string; close: () => Promise<void> }[], logger: Logger): Promise<void> {
  for (const c of closers.splice(0).reverse()) {
    try {
      await c.close();
    } catch (err) {
      logger.error({ err, resource: c.name }, 'close failed');
    }
  }
}

const SHUTDOWN_DEADLINE_MS = 20_000;

/**
 * Logs go to stdout through a buffer: a write per line was a syscall per request (about a tenth of a proxied request's
 * CPU). The buffer is written when it holds 4 KiB, at least every second, and synchronously on exit (pino flushes its
 * destination on process exit, including process.exit after a fatal line).
 */
function processLogger(): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), 1000).unref();
  return pino({ level: process.env.LOG_LEVEL ?? 'info' }, destination);
}

async function main(): Promise<void> {
  const logger = processLogger();
  let loaded;
  try {
    loaded = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      logger.fatal({ problems: e.problems }, e.message);
      process.exit(2);
    }
    throw e;
  }
  for (const w of loaded.warnings) logger.warn(w);
  const sidecal = await startSidecal(loaded.config, { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline reached: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    sidecal.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    // eslint-disable-next-line no-console
    console.error(err);
    process.exit(1);
  });
}
