/**
 * Starts (and stops) every real test backend, in parallel, unless the
 * environment already points at an existing server.
 *
 *   const all = await startAll();          // all backends
 *   const some = await startAll({ only: ['mongo', 'redis'] });
 *   process.env = { ...process.env, ...all.env };
 *   ...
 *   await stopAll();                        // or all.stop()
 *
 * SIDECAL_TEST_BACKENDS=mongo,redis limits which backends startAll() brings up
 * when `only` is not given.
 */
import { APT_PACKAGES, ensureAptPackages, ensureFerretDB, ensureJava, ensureOpenSearch } from './install.js';
import { startLdap } from './ldap.js';
import { startMongo } from './mongo.js';
import { startOpenSearch } from './opensearch.js';
import { startRabbitMQ } from './rabbitmq.js';
import { startRadicale } from './radicale.js';
import { startRedis } from './redis.js';
import { BackendStartError, log, type StartedBackend } from './util.js';

export type BackendName = 'mongo' | 'redis' | 'rabbitmq' | 'ldap' | 'opensearch' | 'radicale' | 'chromium';

export interface BackendSpec {
  name: BackendName;
  label: string;
  /** Env var that, when set, means "use this server, start nothing". */
  envVar: string;
  /** All env vars the backend provides. */
  envVars: string[];
  start(): Promise<StartedBackend>;
}

export const BACKENDS: Record<BackendName, BackendSpec> = {
  mongo: { name: 'mongo', label: 'MongoDB wire (FerretDB)', envVar: 'MONGO_URL', envVars: ['MONGO_URL'], start: () => startMongo() },
  redis: { name: 'redis', label: 'Redis', envVar: 'REDIS_URL', envVars: ['REDIS_URL'], start: () => startRedis() },
  rabbitmq: {
    name: 'rabbitmq',
    label: 'RabbitMQ',
    envVar: 'RABBITMQ_URI',
    envVars: ['RABBITMQ_URI', 'RABBITMQ_MANAGEMENT_URI'],
    start: () => startRabbitMQ(),
  },
  ldap: {
    name: 'ldap',
    label: 'OpenLDAP',
    envVar: 'LDAP_URL',
    envVars: ['LDAP_URL', 'LDAP_BASE_DN', 'LDAP_ADMIN_DN', 'LDAP_ADMIN_PASSWORD'],
    start: () => startLdap(),
  },
  opensearch: { name: 'opensearch', label: 'OpenSearch', envVar: 'OPENSEARCH_URL', envVars: ['OPENSEARCH_URL'], start: () => startOpenSearch() },
  radicale: { name: 'radicale', label: 'Radicale (CalDAV)', envVar: 'CALDAV_URL', envVars: ['CALDAV_URL'], start: () => startRadicale() },
  // Not a server: Debian's Chromium, which the email-rendering test drives headless (playwright-core) to look at the
  // HTML as a mail client's engine would. Each test launches and closes its own browser.
  chromium: {
    name: 'chromium',
    label: 'Chromium (headless)',
    envVar: 'CHROMIUM_PATH',
    envVars: ['CHROMIUM_PATH'],
    start: async () => ({ env: { CHROMIUM_PATH: '/usr/bin/chromium' }, stop: async () => undefined }),
  },
};

export const ALL_BACKENDS = Object.keys(BACKENDS) as BackendName[];

/** Parses "mongo,redis" (also accepts "all"); throws on unknown names. */
export function parseBackendList(s: string): BackendName[] {
  const names = s
    .split(/[\s,]+/)
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  if (names.includes('all')) return [...ALL_BACKENDS];
  const alias: Record<string, BackendName> = { browser: 'chromium', mongodb: 'mongo', ferretdb: 'mongo', rabbit: 'rabbitmq', amqp: 'rabbitmq', openldap: 'ldap', caldav: 'radicale', carddav: 'radicale', dav: 'radicale', elasticsearch: 'opensearch' };
  const out: BackendName[] = [];
  for (const n of names) {
    const b = (alias[n] ?? n) as BackendName;
    if (!BACKENDS[b]) throw new Error(`unknown backend "${n}" (known: ${ALL_BACKENDS.join(', ')})`);
    if (!out.includes(b)) out.push(b);
  }
  return out;
}

export interface StartAllResult {
  /** Env vars for every requested backend (started or external). */
  env: Record<string, string>;
  /** Backends started by this call, with their handles. */
  backends: Partial<Record<BackendName, StartedBackend>>;
  started: BackendName[];
  /** Backends whose env var was already set: not started. */
  external: BackendName[];
  setupMs: number;
  /** Stops what this call started. */
  stop(): Promise<void>;
  /** One line: what was started, what was external, how long it took. */
  summary(): string;
}

const running = new Set<StartAllResult>();

/**
 * Installs what is missing and starts the requested backends in parallel.
 * On any failure, stops what did start and throws one error listing every
 * backend that failed (each with its log tail and env var hint).
 */
export async function startAll(
  opts: { only?: BackendName[]; env?: NodeJS.ProcessEnv } = {},
): Promise<StartAllResult> {
  const t0 = Date.now();
  const srcEnv = opts.env ?? process.env;
  const wanted =
    opts.only ?? (srcEnv.SIDECAL_TEST_BACKENDS ? parseBackendList(srcEnv.SIDECAL_TEST_BACKENDS) : [...ALL_BACKENDS]);
  const env: Record<string, string> = {};
  const external: BackendName[] = [];
  const toStart: BackendName[] = [];
  for (const name of wanted) {
    const spec = BACKENDS[name];
    if (srcEnv[spec.envVar]) {
      external.push(name);
      for (const v of spec.envVars) if (srcEnv[v]) env[v] = srcEnv[v]!;
      if (name === 'ldap') {
        const missing = spec.envVars.filter((v) => !srcEnv[v]);
        if (missing.length) log('ldap', `LDAP_URL is set but ${missing.join(', ')} not: tests may not be able to bind`);
      }
    } else toStart.push(name);
  }

  // Installs first: one apt-get run for all Debian packages, the downloads/builds beside it.
  const apt = new Set<string>();
  for (const n of toStart) for (const p of APT_PACKAGES[n]) apt.add(p);
  const installs: Promise<unknown>[] = [ensureAptPackages([...apt])];
  if (toStart.includes('mongo')) installs.push(ensureFerretDB());
  if (toStart.includes('opensearch')) installs.push(ensureOpenSearch(), ensureJava());
  const installResults = await Promise.allSettled(installs);
  const installErrors = installResults.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (installErrors.length) {
    throw new Error(
      `[sidecal-test] installing the real test backends failed:\n${installErrors.map((e) => `  - ${(e.reason as Error).message}`).join('\n')}\n` +
        `Point the tests at your own servers with ${toStart.map((n) => BACKENDS[n].envVar).join(', ')}, or skip the real layer with SIDECAL_SKIP_REAL=1.`,
    );
  }

  const results = await Promise.allSettled(toStart.map((n) => BACKENDS[n].start()));
  const backends: Partial<Record<BackendName, StartedBackend>> = {};
  const failures: string[] = [];
  results.forEach((r, i) => {
    const name = toStart[i]!;
    if (r.status === 'fulfilled') {
      backends[name] = r.value;
      Object.assign(env, r.value.env);
    } else {
      const e = r.reason as Error;
      failures.push(
        e instanceof BackendStartError
          ? e.message
          : `[sidecal-test] Could not start the ${BACKENDS[name].label} test backend: ${e.message}\nTo use your own server instead, set ${BACKENDS[name].envVar}.`,
      );
    }
  });
  if (failures.length) {
    await Promise.allSettled(Object.values(backends).map((b) => b.stop()));
    const err = new Error(failures.join('\n\n'));
    err.name = 'BackendStartError';
    throw err;
  }

  const setupMs = Date.now() - t0;
  const started = toStart;
  const result: StartAllResult = {
    env,
    backends,
    started,
    external,
    setupMs,
    async stop() {
      running.delete(result);
      const rs = await Promise.allSettled(Object.values(backends).map((b) => b.stop()));
      const bad = rs.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (bad.length) throw new Error(`stopping backends failed: ${bad.map((b) => (b.reason as Error).message).join('; ')}`);
    },
    summary() {
      const parts = [
        `started ${started.length ? started.join(', ') : 'none'}`,
        `external ${external.length ? external.map((n) => `${n} (${BACKENDS[n].envVar})`).join(', ') : 'none'}`,
      ];
      const skipped = ALL_BACKENDS.filter((n) => !wanted.includes(n));
      if (skipped.length) parts.push(`not requested ${skipped.join(', ')}`);
      return `[harness] real backends: ${parts.join('; ')}; setup took ${(setupMs / 1000).toFixed(1)} s`;
    },
  };
  running.add(result);
  return result;
}

/** Stops every backend started by startAll() in this process. */
export async function stopAll(): Promise<void> {
  const all = [...running];
  running.clear();
  const rs = await Promise.allSettled(all.map((r) => r.stop()));
  const bad = rs.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (bad.length) throw new Error(bad.map((b) => (b.reason as Error).message).join('; '));
}
