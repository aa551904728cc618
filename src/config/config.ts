import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deepFreeze } from '../core/deep-freeze.js';
import { confFileName, ConfigReader, type ConfFile, type KeyDoc } from './config-reader.js';
import { parseProperties } from './properties.js';
import { parseUsersRepositoryXml } from './users-repository-xml.js';
import type { AlarmsConfig, Config, JvmProperties, LdapConfig, OpenSearchConfig, RabbitMqConfig, RedisConfig } from './config-types.js';

export type { Config } from './config-types.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n - ${problems.join('\n - ')}`);
    this.name = 'ConfigError';
  }
}

const PROPERTY_FILES: ConfFile[] = ['configuration', 'webadmin', 'rabbitmq', 'redis', 'opensearch', 'healthcheck', 'jvm'];

/** The configuration folder: `SIDECAL_CONF_DIR`, else `conf/` under the working directory. */
export function confDirFrom(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  return resolve(cwd, env.SIDECAL_CONF_DIR ?? 'conf');
}

export interface LoadedConfig {
  config: Config;
  /** Non-fatal remarks for the start-up log (unknown keys, backends left in memory). */
  warnings: string[];
}

/** Reads the folder's files and the environment once, validates everything, and fails listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, confDir = confDirFrom(env)): LoadedConfig {
  const files: Partial<Record<ConfFile, Map<string, string>>> = {};
  for (const f of PROPERTY_FILES) {
    const path = join(confDir, confFileName(f));
    if (existsSync(path)) files[f] = parseProperties(readFileSync(path, 'utf8'), env);
  }
  const xmlPath = join(confDir, confFileName('usersrepository'));
  if (existsSync(xmlPath)) files.usersrepository = parseUsersRepositoryXml(readFileSync(xmlPath, 'utf8'));
  const reader = new ConfigReader(files, env);
  const config = readConfig(reader, confDir);
  if (reader.errors.length > 0) throw new ConfigError(reader.errors);
  const warnings = reader.unknownKeys().map((k) => `unknown configuration key ignored: ${k}`);
  return { config: deepFreeze(config), warnings };
}

/** Every key sidecal reads, with its environment variable, type and default (for docs and consistency tests). */
export function configKeys(): KeyDoc[] {
  const reader = new ConfigReader({}, {}, true);
  readConfig(reader, '/nonexistent');
  return reader.keys;
}

function readConfig(r: ConfigReader, confDir: string): Config {
  const c = 'configuration' as const;
  const mongoUrl = r.string(c, 'mongo.url', { description: 'MongoDB URI; absent selects in-memory storage' });
  const mongoDatabase = r.string(c, 'mongo.database', {
    required: mongoUrl !== undefined,
    description: 'the OpenPaaS database (esn-sabre ESN_MONGO_DBNAME)',
  });
  const config: Config = {
    confDir,
    mongo: mongoUrl !== undefined && mongoDatabase !== undefined ? { url: mongoUrl, database: mongoDatabase } : undefined,
    domains: r.list(c, 'domains', { default: ['linagora.com'], description: 'domains provisioned at start-up' }),
    rest: {
      port: r.int(c, 'rest.api.port', { default: 8080, min: 0, max: 65535, description: 'REST API and proxy port (0 = random)' }),
      host: r.string(c, 'rest.api.host', { default: '0.0.0.0', description: 'REST API bind address (sidecal addition)' }),
      bodyLimitBytes: r.size(c, 'rest.api.body.limit', {
        default: 10 * 1024 * 1024,
        description: 'largest JSON body accepted by the REST API (sidecal addition)',
      }),
    },
    urls: {
      self: r.url(c, 'self.url', { default: 'https://twcalendar.linagora.com', description: 'public URL of sidecal' }),
      spaCalendar: r.url(c, 'spa.calendar.url', { required: true, description: 'Calendar SPA URL (mail links)' }),
      spaExcal: r.url(c, 'spa.excal.url', { required: true, description: 'external-attendee SPA URL (participation links)' }),
      spaContacts: r.url(c, 'spa.contacts.url', { default: 'https://e-contacts.avocat.fr', description: 'Contacts SPA URL' }),
      visio: r.url(c, 'visio.url', { default: 'https://jitsi.linagora.com', description: 'videoconference URL for the SPAs' }),
    },
    legacy: {
      backendUrl: r.url(c, 'openpaas.backend.url', { description: 'legacy OpenPaaS server for the fallback proxy; absent: 404' }),
      trustAllCertificates: r.bool(c, 'openpaas.backend.trust.all.certificates', { default: false, description: 'skip TLS checks' }),
    },
    dav: {
      url: r.url(c, 'dav.url', { required: true, description: 'esn-sabre base URL' }),
      adminUser: r.string(c, 'dav.admin.user', { required: true, description: 'esn-sabre admin login (impersonation)' }),
      adminPassword: r.string(c, 'dav.admin.password', { required: true, description: 'esn-sabre admin password' }),
      trustAllCertificates: r.bool(c, 'dav.rest.client.trust.all.ssl.certs', { default: false, description: 'skip TLS checks towards esn-sabre' }),
      responseTimeoutMs: r.duration(c, 'dav.rest.client.response.timeout', {
        default: 10_000,
        unit: 'ms',
        positive: true,
        description: 'esn-sabre response timeout',
      }),
      queuesQuorumBypass: r.bool(c, 'dav.queues.quorum.bypass', {
        default: false,
        description: 'true: DAV queues use the rabbitmq.properties queue arguments; false: classic queues',
      }),
    },
    jwt: {
      privateKey: r.string(c, 'jwt.key.private', { description: 'PEM RSA private key (file://, path or classpath://)' }),
      publicKeys: r.list(c, 'jwt.key.public', { default: [], description: 'PEM RSA public key(s), comma list' }),
      validityMs: r.duration(c, 'jwt.key.validity', { default: 12 * 3_600_000, unit: 'ms', positive: true, description: 'lifetime of issued JWTs (12h or PT12H)' }),
      technicalTokenSecret: r.string(c, 'jwt.technical.token.secret', { description: 'HMAC secret of technical tokens; same on every node' }),
      technicalTokenExpirationMs: r.duration(c, 'jwt.technical.token.expiration', {
        default: 3_600_000,
        unit: 's',
        positive: true,
        description: 'technical token lifetime (plain number = seconds)',
      }),
    },
    oidc: {
      userInfoUrl: r.url(c, 'oidc.userInfo.url', { description: 'OIDC userinfo endpoint' }),
      introspectUrl: r.url(c, 'oidc.introspect.url', { description: 'OIDC introspection endpoint' }),
      introspectCredentials: r.string(c, 'oidc.introspect.credentials', { description: 'Authorization header value for introspection' }),
      claim: r.string(c, 'oidc.claim', { default: 'email', description: 'claim carrying the user email' }),
      audience: r.list(c, 'oidc.audience', { default: ['tcalendar'], description: 'accepted audiences' }),
      cacheExpirationMs: r.duration(c, 'oidc.token.cache.expiration', { default: 300_000, unit: 'ms', positive: true, description: 'token cache TTL' }),
      cacheMaxSize: r.int(c, 'oidc.token.cache.maxSize', { default: 10_000, min: 1, description: 'max cached tokens (memory cache)' }),
      lemonCookieUrl: r.url(c, 'oidc.fallback.lemon.cookie.resolution.url', { description: 'LemonLDAP cookie resolution URL' }),
      lemonCookieDomain: r.string(c, 'oidc.fallback.lemon.cookie.resolution.domain', { description: 'domain appended to the cookie login' }),
      jwksUrl: r.url(c, 'oidc.jwks.url', { description: 'sidecal: JWKS of the OIDC provider, to verify back-channel logout tokens (unset: payload only, as the reference)' }),
    },
    admin: {
      username: r.string(c, 'admin.username', { default: 'admin@open-paas.org', description: 'admin Basic login' }),
      password: r.string(c, 'admin.password', { required: true, description: 'admin Basic password' }),
    },
    basicAuthEnabled: r.bool(c, 'basic.auth.enabled', { default: true, description: 'accept non-admin Basic auth (users store or LDAP)' }),
    defaults: {
      language: r.string(c, 'default.language', { default: 'en', description: 'default user language' }),
      timezone: r.string(c, 'default.timezone', { default: 'Europe/Paris', description: 'default user timezone' }),
      use24hFormat: r.bool(c, 'default.use.24h.format', { default: true, description: 'default time format' }),
      businessHoursStart: r.string(c, 'default.business.hours.start', { default: '8:0', description: 'business hours start (H:m)' }),
      businessHoursEnd: r.string(c, 'default.business.hours.end', { default: '19:0', description: 'business hours end (H:m)' }),
      businessDays: r
        .list(c, 'default.business.hours.daysOfWeek', { default: ['1', '2', '3', '4', '5', '6'], description: 'business days (1 = Monday)' })
        .map(Number),
      calendarSharing: r.bool(c, 'calendar.sharing.enabled', { default: true, description: 'feature flag served to the SPAs' }),
      contactsSharing: r.bool(c, 'contacts.sharing.enabled', { default: true, description: 'feature flag served to the SPAs' }),
      domainContacts: r.bool(c, 'domain.contacts.enabled', { default: true, description: 'feature flag served to the SPAs' }),
    },
    twp: {
      settingsEnabled: r.bool(c, 'twp.settings.enabled', { default: false, description: 'Twake Workplace settings sync: core.language becomes read-only' }),
    },
    domainSettings: {
      userSearchDisabledDomains: r.list(c, 'user.search.disabled.domains', { default: [], description: 'domains whose users get no user results' }),
      userSearchLimitedDomains: r.list(c, 'user.search.limited.domains', { default: [], description: 'domains limited to exact-email user search' }),
      resourceSearchEnabled: r.bool(c, 'resource.search.enabled', { default: true, description: 'domain setting default (advisory)' }),
      defaultCalendarPublicVisibility: r.oneOf(c, 'default.calendar.public.visibility', ['private', 'read'] as const, {
        default: 'private',
        description: 'public right of new default calendars',
      }),
      calendarPublicVisibilitySettingEnabled: r.bool(c, 'calendar.public.visibility.setting.enabled', { default: true, description: 'domain setting default' }),
    },
    smtp: readSmtp(r),
    mail: {
      templateLocation: r.string(c, 'mail.template.location', { default: 'templates', description: 'email template folder' }),
      sender: r.string(c, 'mail.sender', { required: true, description: 'From address of the emails' }),
      recipientWhitelist: r.list(c, 'mail.imip.recipient.whitelist', { default: [], description: 'only these recipients get emails; empty = all' }),
    },
    alarms: readAlarms(r),
    upload: {
      expirationMs: r.duration(c, 'upload.expiration', { default: 3_600_000, unit: 'ms', positive: true, description: 'uploaded file lifetime' }),
      userTotalLimitBytes: r.size(c, 'upload.user.total.limit', { default: 50 * 1024 * 1024, description: 'per-user upload quota' }),
    },
    webadmin: readWebadmin(r),
    healthcheckPeriodMs: r.duration('healthcheck', 'healthcheck.period', { default: 60_000, unit: 'ms', positive: true, description: 'periodic health checks' }),
    rabbitmq: readRabbit(r),
    redis: readRedis(r),
    opensearch: readOpenSearch(r),
    ldap: readLdap(r),
    jvm: readJvm(r),
  };
  return config;
}

function readSmtp(r: ConfigReader): Config['smtp'] {
  const c = 'configuration' as const;
  const host = r.string(c, 'smtp.host', { description: 'SMTP server; absent: emails are logged, not sent' });
  const smtp = {
    host: host ?? '',
    port: r.int(c, 'smtp.port', { default: 25, min: 1, max: 65535, description: 'SMTP port' }),
    helo: r.string(c, 'smtp.helo', { default: 'sidecal', description: 'HELO/EHLO name' }),
    username: r.string(c, 'smtp.username', { description: 'SMTP login (with smtp.password)' }),
    password: r.string(c, 'smtp.password', { description: 'SMTP password (with smtp.username)' }),
    ssl: r.bool(c, 'smtp.ssl.enabled', { default: false, description: 'implicit TLS' }),
    starttls: r.bool(c, 'smtp.starttls.enabled', { default: false, description: 'STARTTLS' }),
    trustAllCerts: r.bool(c, 'smtp.ssl.trustAllCerts', { default: false, description: 'skip SMTP TLS checks' }),
  };
  if ((smtp.username === undefined) !== (smtp.password === undefined)) r.fail('smtp.username and smtp.password go together');
  if (smtp.ssl && smtp.starttls) r.fail('smtp.ssl.enabled and smtp.starttls.enabled cannot both be true');
  return host === undefined ? undefined : smtp;
}

function readAlarms(r: ConfigReader): AlarmsConfig {
  const c = 'configuration' as const;
  const mode = r.oneOf(c, 'alarm.event.scheduler.mode', ['cluster', 'single', 'distributed', 'multi', 'disabled'] as const, {
    default: 'cluster',
    description: 'alarm scheduler mode; enabled (cluster, lease-protected) by default',
  });
  return {
    mode: mode === 'disabled' ? 'disabled' : mode === 'single' ? 'single' : 'cluster',
    pollIntervalMs: r.duration(c, 'alarm.event.scheduler.poll.interval', { default: 60_000, unit: 's', positive: true, description: 'poll period' }),
    batchSize: r.int(c, 'alarm.event.scheduler.batch.size', { default: 1000, min: 1, description: 'alarms per poll' }),
    initialJitterMaxMs: r.duration(c, 'alarm.event.scheduler.initial.jitter.max', { default: 30_000, unit: 's', positive: true, description: 'max start jitter' }),
    leaseTtlMs: r.duration(c, 'alarm.event.scheduler.lease.ttl', { default: 60_000, unit: 's', positive: true, description: 'lease lifetime (JVM property in the reference)' }),
  };
}

function readWebadmin(r: ConfigReader): Config['webadmin'] {
  const w = 'webadmin' as const;
  const jwtEnabled = r.bool(w, 'jwt.enabled', { default: false, description: 'JWT authentication of webadmin' });
  const webadmin = {
    // The James default is "disabled when the file is absent"; sidecal ships the file and defaults to enabled so the
    // embedded mode is administrable out of the box.
    enabled: r.bool(w, 'enabled', { default: true, description: 'start the webadmin listener' }),
    port: r.int(w, 'port', { default: 8000, min: 0, max: 65535, description: 'webadmin port (0 = random)' }),
    host: r.string(w, 'host', { default: '0.0.0.0', description: 'webadmin bind address' }),
    corsOrigin: r.string(w, 'cors.origin', { default: '*', description: 'Access-Control-Allow-Origin' }),
    corsEnable: r.bool(w, 'cors.enable', { default: false, description: 'parsed, ignored (CORS is always on, as in the reference)' }),
    passwords: r.list(w, 'password', { default: [], description: 'full-access passwords (Password header)' }),
    jwtEnabled,
    jwtPublicKeyUrl: r.string(w, 'jwt.publickeypem.url', { required: jwtEnabled, description: 'PEM public key(s) for webadmin JWTs' }),
    httpsEnabled: r.bool(w, 'https.enabled', { default: false, description: 'TLS on webadmin (not supported yet: must be false)' }),
  };
  if (webadmin.httpsEnabled) r.fail('webadmin.properties https.enabled=true is not supported: terminate TLS in front of sidecal');
  return webadmin;
}

function readRabbit(r: ConfigReader): RabbitMqConfig | undefined {
  const f = 'rabbitmq' as const;
  if (!r.present(f, ['uri'])) return undefined;
  return {
    uri: r.url(f, 'uri', { required: true, description: 'AMQP URI' }),
    managementUri: r.url(f, 'management.uri', { description: 'RabbitMQ management API URL (the consumer watchdog needs it; credentials in the URL are used when management.user is unset)' }),
    managementUser: r.string(f, 'management.user', { description: 'management API user' }),
    managementPassword: r.string(f, 'management.password', { description: 'management API password' }),
    reconnectionEnabled: r.bool(f, 'scheduled.consumer.reconnection.enabled', {
      default: true,
      description: 'consumer watchdog: periodically ask the management API whether every queue has a consumer, restart them all if one has none',
    }),
    reconnectionIntervalMs: r.duration(f, 'scheduled.consumer.reconnection.interval', { default: 60_000, unit: 's', positive: true, description: 'consumer watchdog period' }),
    quorumQueues: r.bool(f, 'quorum.queues.enable', { default: false, description: 'quorum queues (with dav.queues.quorum.bypass=true)' }),
    quorumReplicationFactor: r.int(f, 'quorum.queues.replication.factor', { default: 3, min: 1, description: 'quorum replication factor' }),
    prefetch: r.int(f, 'prefetch.count', { default: 16, min: 1, description: 'consumer prefetch (sidecal addition)' }),
    searchPrefetch: r.int(f, 'search.prefetch.count', {
      default: 1024, min: 1,
      description: 'prefetch of the five event-indexing queues (sidecal addition): their messages are written to OpenSearch in shared bulks of at most half the prefetch (and 500), one written while the next fills',
    }),
    maxRetries: r.int(f, 'consumer.max.retries', { default: 3, min: 0, description: 'deliveries before dead-lettering (sidecal addition)' }),
  };
}

/**
 * The reference reads these as JVM system properties, which James fills from `conf/jvm.properties` at start-up
 * (apache/james-project ExtraProperties); operators keep that file, so sidecal reads it too.
 */
function readJvm(r: ConfigReader): JvmProperties {
  const f = 'jvm' as const;
  const delayStartUp = r.duration(f, 'scheduled.consumer.reconnection.delayStartUp', {
    default: 30_000,
    unit: 'ms',
    description: 'consumer watchdog: wait before its first check (30s or PT30S)',
  });
  if (delayStartUp < 0) r.fail('jvm.properties scheduled.consumer.reconnection.delayStartUp must not be negative');
  return {
    fallbackClassicQueuesV1: r.bool(f, 'fallback.classic.queues.v1', {
      default: false,
      description: 'true: classic queues are declared without x-queue-version (brokers without classic queues v2)',
    }),
    ignoreIfUserNotFound: r.bool(f, 'calendar.event.consumer.ignoreIfUserNotFound', {
      default: false,
      description: 'event indexer: ack (instead of dead-letter) messages whose calendar owner is unknown',
    }),
    watchdogDelayStartUpMs: Math.max(0, delayStartUp),
  };
}

function readRedis(r: ConfigReader): RedisConfig | undefined {
  const f = 'redis' as const;
  if (!r.present(f, ['redisURL'], ['REDIS_URL'])) return undefined;
  return {
    url: r.string(f, 'redisURL', { required: true, envAliases: ['REDIS_URL'], description: 'Redis URI(s)' }),
    topology: r.oneOf(f, 'redis.topology', ['standalone', 'cluster', 'master-replica', 'sentinel'] as const, {
      default: 'standalone',
      description: 'Redis topology',
    }),
  };
}

function readOpenSearch(r: ConfigReader): OpenSearchConfig | undefined {
  const f = 'opensearch' as const;
  if (!r.present(f, ['opensearch.hosts', 'opensearch.masterHost'], ['OPENSEARCH_URL'])) return undefined;
  const scheme = r.oneOf(f, 'opensearch.hostScheme', ['http', 'https'] as const, { default: 'http', description: 'scheme' });
  const hostsRaw = r.list(f, 'opensearch.hosts', { default: [], envAliases: ['OPENSEARCH_URL'], description: 'host:port list' });
  const master = r.string(f, 'opensearch.masterHost', { description: 'single host (with opensearch.port)' });
  const port = r.int(f, 'opensearch.port', { default: 9200, min: 1, max: 65535, description: 'port with masterHost' });
  const hosts = (hostsRaw.length > 0 ? hostsRaw : master ? [`${master}:${port}`] : []).map((h) => (/^https?:\/\//.test(h) ? h : `${scheme}://${h}`));
  if (hosts.length === 0) r.fail('opensearch.properties needs opensearch.hosts or opensearch.masterHost');
  const s = (key: string, def: string, description: string) => r.string(f, key, { default: def, description });
  return {
    hosts,
    user: r.string(f, 'opensearch.user', { description: 'user' }),
    password: r.string(f, 'opensearch.password', { description: 'password' }),
    trustAllCerts: r.oneOf(f, 'opensearch.hostScheme.https.sslValidationStrategy', ['default', 'ignore', 'override'] as const, {
      default: 'default',
      description: 'TLS validation',
    }) === 'ignore',
    nbShards: r.int(f, 'opensearch.nb.shards', { default: 5, min: 1, description: 'shards' }),
    nbReplica: r.int(f, 'opensearch.nb.replica', { default: 1, min: 0, description: 'replicas' }),
    eventsIndex: s('opensearch.index.calendar.events.name', 'calendar-events', 'events index'),
    eventsReadAlias: s('opensearch.alias.read.calendar.events.name', 'calendar-events-read', 'events read alias'),
    eventsWriteAlias: s('opensearch.alias.write.calendar.events.name', 'calendar-events-write', 'events write alias'),
    eventsMinNgram: r.int(f, 'opensearch.index.calendar.events.min.ngram', { default: 3, min: 1, description: 'n-gram min' }),
    eventsMaxNgramDiff: r.int(f, 'opensearch.index.calendar.events.max.ngram.diff', { default: 4, min: 0, description: 'n-gram diff' }),
    contactUserIndex: s('opensearch.index.contact.user.name', 'user_contact', 'Twake Mail user contacts index'),
    contactDomainIndex: s('opensearch.index.contact.domain.name', 'domain_contact', 'Twake Mail domain contacts index'),
    contactUserReadAlias: s('opensearch.alias.read.contact.user.name', 'user_contact_read_alias', 'user contacts read alias'),
    contactDomainReadAlias: s('opensearch.alias.read.contact.domain.name', 'domain_contact_read_alias', 'domain contacts read alias'),
  };
}

function readLdap(r: ConfigReader): LdapConfig | undefined {
  const f = 'usersrepository' as const;
  if (!r.present(f, ['ldapHost'])) return undefined;
  return {
    urls: r.list(f, 'ldapHost', { default: [], required: true, description: 'LDAP URL(s)' }),
    principal: r.string(f, 'principal', { required: true, description: 'service bind DN' }),
    credentials: r.string(f, 'credentials', { required: true, description: 'service bind password' }),
    userBase: r.string(f, 'userBase', { required: true, description: 'search base' }),
    userObjectClass: r.string(f, 'userObjectClass', { default: 'inetOrgPerson', description: 'user object class' }),
    userIdAttribute: r.string(f, 'userIdAttribute', { default: 'mail', description: 'login attribute' }),
    filter: r.string(f, 'filter', { description: 'extra filter for login searches' }),
    connectionTimeoutMs: r.int(f, 'connectionTimeout', { default: 0, description: 'ms, <= 0 none' }),
    readTimeoutMs: r.int(f, 'readTimeout', { default: 0, description: 'ms, <= 0 none' }),
    poolSize: r.int(f, 'poolSize', { default: 4, min: 1, description: 'pooled connections' }),
    trustAllCerts: r.bool(f, 'trustAllCerts', { default: false, description: 'skip LDAPS checks' }),
    administratorId: r.string(f, 'administratorId', { description: 'James admin id' }),
    groupMemberAttribute: r.string(f, 'restriction.memberAttribute', { description: 'group restriction attribute' }),
    groupBases: r.list(f, 'restriction.GroupBase', { default: [], description: 'group restriction bases' }),
  };
}
