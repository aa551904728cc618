/** The validated, frozen configuration. One section per capability; each part of the service gets only its section. */
export interface Config {
  confDir: string;
  mongo: { url: string; database: string } | undefined;
  domains: string[];
  rest: { port: number; host: string; bodyLimitBytes: number };
  urls: { self: string; spaCalendar: string; spaExcal: string; spaContacts: string; visio: string };
  legacy: { backendUrl: string | undefined; trustAllCertificates: boolean };
  dav: DavConfig;
  jwt: JwtConfig;
  oidc: OidcConfig;
  admin: { username: string; password: string };
  basicAuthEnabled: boolean;
  defaults: UserDefaults;
  domainSettings: DomainSettingsDefaults;
  /** Twake Workplace integration: when on, the workplace owns `core.language` (read-only for PATCH). */
  twp: { settingsEnabled: boolean };
  smtp: SmtpConfig | undefined;
  mail: { templateLocation: string; sender: string; recipientWhitelist: string[] };
  alarms: AlarmsConfig;
  upload: { expirationMs: number; userTotalLimitBytes: number };
  webadmin: WebadminConfig;
  healthcheckPeriodMs: number;
  rabbitmq: RabbitMqConfig | undefined;
  redis: RedisConfig | undefined;
  opensearch: OpenSearchConfig | undefined;
  ldap: LdapConfig | undefined;
  jvm: JvmProperties;
}

/** The reference's JVM system properties that sidecal honours, read from `jvm.properties` (env `JVM_…`). */
export interface JvmProperties {
  /** `fallback.classic.queues.v1`: classic queues are declared without `x-queue-version`. */
  fallbackClassicQueuesV1: boolean;
  /** `calendar.event.consumer.ignoreIfUserNotFound`: the indexer acks messages of unknown calendar owners. */
  ignoreIfUserNotFound: boolean;
  /** `scheduled.consumer.reconnection.delayStartUp`: the consumer watchdog's wait before its first check. */
  watchdogDelayStartUpMs: number;
}

export interface DavConfig {
  url: string;
  adminUser: string;
  adminPassword: string;
  trustAllCertificates: boolean;
  responseTimeoutMs: number;
  queuesQuorumBypass: boolean;
}

export interface JwtConfig {
  privateKey: string | undefined;
  publicKeys: string[];
  validityMs: number;
  technicalTokenSecret: string | undefined;
  technicalTokenExpirationMs: number;
}

export interface OidcConfig {
  userInfoUrl: string | undefined;
  introspectUrl: string | undefined;
  introspectCredentials: string | undefined;
  claim: string;
  audience: string[];
  cacheExpirationMs: number;
  cacheMaxSize: number;
  lemonCookieUrl: string | undefined;
  lemonCookieDomain: string | undefined;
  /** sidecal key `oidc.jwks.url`: when set, back-channel logout tokens must be signed by one of these keys. */
  jwksUrl: string | undefined;
}

export interface UserDefaults {
  language: string;
  timezone: string;
  use24hFormat: boolean;
  businessHoursStart: string;
  businessHoursEnd: string;
  businessDays: number[];
  calendarSharing: boolean;
  contactsSharing: boolean;
  domainContacts: boolean;
}

/** Configuration-file fallbacks of the per-domain settings (a value stored for the domain wins). */
export interface DomainSettingsDefaults {
  userSearchDisabledDomains: string[];
  userSearchLimitedDomains: string[];
  resourceSearchEnabled: boolean;
  defaultCalendarPublicVisibility: 'private' | 'read';
  calendarPublicVisibilitySettingEnabled: boolean;
}

export interface SmtpConfig {
  host: string;
  port: number;
  helo: string;
  username: string | undefined;
  password: string | undefined;
  ssl: boolean;
  starttls: boolean;
  trustAllCerts: boolean;
}

export interface AlarmsConfig {
  mode: 'cluster' | 'single' | 'disabled';
  pollIntervalMs: number;
  batchSize: number;
  initialJitterMaxMs: number;
  leaseTtlMs: number;
}

export interface WebadminConfig {
  enabled: boolean;
  port: number;
  host: string;
  corsOrigin: string;
  corsEnable: boolean;
  passwords: string[];
  jwtEnabled: boolean;
  jwtPublicKeyUrl: string | undefined;
  httpsEnabled: boolean;
}

export interface RabbitMqConfig {
  uri: string;
  managementUri: string | undefined;
  managementUser: string | undefined;
  managementPassword: string | undefined;
  reconnectionEnabled: boolean;
  reconnectionIntervalMs: number;
  quorumQueues: boolean;
  quorumReplicationFactor: number;
  prefetch: number;
  /** `search.prefetch.count`: prefetch of the event-indexing queues. */
  searchPrefetch: number;
  maxRetries: number;
}

export interface RedisConfig {
  url: string;
  topology: 'standalone' | 'cluster' | 'master-replica' | 'sentinel';
}

export interface OpenSearchConfig {
  hosts: string[];
  user: string | undefined;
  password: string | undefined;
  trustAllCerts: boolean;
  nbShards: number;
  nbReplica: number;
  eventsIndex: string;
  eventsReadAlias: string;
  eventsWriteAlias: string;
  eventsMinNgram: number;
  eventsMaxNgramDiff: number;
  contactUserIndex: string;
  contactDomainIndex: string;
  contactUserReadAlias: string;
  contactDomainReadAlias: string;
}

export interface LdapConfig {
  urls: string[];
  principal: string;
  credentials: string;
  userBase: string;
  userObjectClass: string;
  userIdAttribute: string;
  filter: string | undefined;
  connectionTimeoutMs: number;
  readTimeoutMs: number;
  poolSize: number;
  trustAllCerts: boolean;
  administratorId: string | undefined;
  groupMemberAttribute: string | undefined;
  groupBases: string[];
}
