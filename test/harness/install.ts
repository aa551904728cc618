/**
 * Idempotent, cached installation of the real test backends.
 *
 * - Debian packages (redis-server, rabbitmq-server, slapd, ldap-utils,
 *   radicale, ...) through apt-get, with a temporary policy-rc.d so that no
 *   system service gets started by the install.
 * - FerretDB v1 (MongoDB wire protocol on SQLite) built from the Go module
 *   proxy into `<cache>/bin`.
 * - OpenSearch 2.x, the minimal `integ-test-zip` distribution from Maven
 *   Central, plus the modules that distribution leaves out (analysis-common,
 *   lang-painless, reindex, mapper-extras), also from Maven Central.
 *
 * The cache root is `~/.cache/sidecal-test`, or `$SIDECAL_TEST_CACHE`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { log, run, which, sleep } from './util.js';

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = process.env.SIDECAL_FERRETDB_VERSION ?? 'v1.24.2';
export const OPENSEARCH_VERSION = process.env.SIDECAL_OPENSEARCH_VERSION ?? '2.19.6';
export const MAVEN_CENTRAL = 'https://repo1.maven.org/maven2';
/** Unprivileged user that runs OpenSearch (which refuses to run as root). */
export const TEST_USER = 'sidecal-test';

/** Debian packages each backend needs. */
export const APT_PACKAGES = {
  redis: ['redis-server'],
  rabbitmq: ['rabbitmq-server'],
  ldap: ['slapd', 'ldap-utils'],
  radicale: ['radicale'],
  opensearch: ['curl', 'unzip'],
  mongo: [] as string[],
  chromium: ['chromium'],
} as const;

export function cacheRoot(): string {
  return process.env.SIDECAL_TEST_CACHE || path.join(os.homedir(), '.cache', 'sidecal-test');
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// locks: in-process (promise chain) and across processes (lock directory)

const chains = new Map<string, Promise<unknown>>();

/** Runs `fn` while holding a named lock, both within this process and across processes sharing the cache. */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const prev = chains.get(name) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(() => withDirLock(name, fn));
  chains.set(name, next);
  return next;
}

async function withDirLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const root = cacheRoot();
  await fsp.mkdir(root, { recursive: true });
  const dir = path.join(root, `.lock-${name}`);
  const deadline = Date.now() + 20 * 60_000;
  let announced = false;
  for (;;) {
    try {
      await fsp.mkdir(dir);
      await fsp.writeFile(path.join(dir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Steal the lock from a dead holder.
      const holder = Number(await fsp.readFile(path.join(dir, 'pid'), 'utf8').catch(() => '0'));
      let alive = false;
      if (holder > 0) {
        try {
          process.kill(holder, 0);
          alive = true;
        } catch {
          alive = false;
        }
      }
      const st = await fsp.stat(dir).catch(() => undefined);
      if (!alive && (holder > 0 || (st && Date.now() - st.mtimeMs > 10_000))) {
        await fsp.rm(dir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        log('install', `waiting for lock ${dir} (held by pid ${holder})`);
        announced = true;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${dir}`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// apt

let aptUpdated = false;

async function isDebInstalled(pkg: string): Promise<boolean> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', pkg]);
    return stdout.startsWith('ii');
  } catch {
    return false;
  }
}

/** Init scripts of packages that ship a system service we never want running. */
const SYSTEM_SERVICES: Record<string, string> = {
  'redis-server': 'redis-server',
  'rabbitmq-server': 'rabbitmq-server',
  slapd: 'slapd',
};

/**
 * Installs the missing Debian packages (noninteractive, no service started).
 * Needs root when something is missing.
 */
export async function ensureAptPackages(pkgs: readonly string[]): Promise<void> {
  if (pkgs.length === 0) return;
  const missingNow = async () => {
    const out: string[] = [];
    for (const p of pkgs) if (!(await isDebInstalled(p))) out.push(p);
    return out;
  };
  if ((await missingNow()).length === 0) return;
  await withLock('apt', async () => {
    const missing = await missingNow();
    if (missing.length === 0) return;
    if (process.getuid?.() !== 0) {
      throw new Error(
        `Debian packages missing: ${missing.join(' ')}. Install them (as root: apt-get install ${missing.join(' ')}) or run the tests as root.`,
      );
    }
    log('install', `apt-get install ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'l' };
    const policy = '/usr/sbin/policy-rc.d';
    const ownPolicy = !(await exists(policy));
    if (ownPolicy) await fsp.writeFile(policy, '#!/bin/sh\n# sidecal test harness: start no service during install\nexit 101\n', { mode: 0o755 });
    try {
      const aptOpts = ['-o', 'DPkg::Lock::Timeout=600', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];
      if (!aptUpdated) {
        await run('apt-get', ['update', '-q', ...aptOpts.slice(0, 2)], { env, timeoutMs: 10 * 60_000 });
        aptUpdated = true;
      }
      await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...aptOpts, ...missing], {
        env,
        timeoutMs: 20 * 60_000,
      });
    } finally {
      if (ownPolicy) await fsp.rm(policy, { force: true });
    }
    // A service that got started anyway (e.g. slapd on 389, redis on 6379) is stopped.
    for (const p of missing) {
      const svc = SYSTEM_SERVICES[p];
      if (!svc || !(await exists(`/etc/init.d/${svc}`))) continue;
      const running = await run(`/etc/init.d/${svc}`, ['status'], { timeoutMs: 30_000 }).then(
        () => true,
        () => false,
      );
      if (running) {
        log('install', `stopping system service ${svc} started by its package`);
        await run(`/etc/init.d/${svc}`, ['stop'], { timeoutMs: 60_000 }).catch(() => undefined);
      }
    }
  });
}

// ---------------------------------------------------------------------------
// FerretDB

/** Path of a cached FerretDB v1 binary, built from the Go module proxy on first use. */
export async function ensureFerretDB(): Promise<string> {
  const binDir = path.join(cacheRoot(), 'bin');
  const bin = path.join(binDir, `ferretdb-${FERRETDB_VERSION}`);
  if (await exists(bin)) return bin;
  return withLock('ferretdb', async () => {
    if (await exists(bin)) return bin;
    const go = which('go', ['/usr/local/go/bin', '/usr/lib/go/bin']);
    if (!go) {
      throw new Error(
        'the Go toolchain (go >= 1.21) is needed once to build FerretDB; install Go, or set MONGO_URL to your own MongoDB-compatible server',
      );
    }
    const t0 = Date.now();
    log('install', `building FerretDB ${FERRETDB_VERSION} from the Go module proxy (first run only, ~1-2 min)`);
    await fsp.mkdir(binDir, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GOFLAGS: '-buildvcs=false -mod=readonly',
      GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto',
      CGO_ENABLED: '0',
    };
    // `go install ...@version` would fail here: it asks the proxy for the
    // module's version list (deprecation check), which the proxy refuses.
    // Downloading the exact version and building inside it works.
    const { stdout } = await run(go, ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
      env,
      cwd: os.tmpdir(),
    });
    const info = JSON.parse(stdout) as { Dir: string; Origin?: { Hash?: string } };
    const src = path.join(cacheRoot(), 'src', `ferretdb-${FERRETDB_VERSION}.tmp-${process.pid}`);
    await fsp.rm(src, { recursive: true, force: true });
    await fsp.mkdir(path.dirname(src), { recursive: true });
    await fsp.cp(info.Dir, src, { recursive: true });
    await run('chmod', ['-R', 'u+w', src]);
    // The module zip lacks the files `git describe` would generate; without
    // them the binary panics at start.
    const vdir = path.join(src, 'build', 'version');
    await fsp.writeFile(path.join(vdir, 'version.txt'), `${FERRETDB_VERSION}\n`);
    await fsp.writeFile(path.join(vdir, 'commit.txt'), `${info.Origin?.Hash ?? 'unknown'}\n`);
    await fsp.writeFile(path.join(vdir, 'package.txt'), 'sidecal-test\n');
    const tmpBin = `${bin}.tmp-${process.pid}`;
    try {
      await run(go, ['build', '-trimpath', '-o', tmpBin, './cmd/ferretdb'], { env, cwd: src, timeoutMs: 20 * 60_000 });
      await run(tmpBin, ['--version']);
      await fsp.rename(tmpBin, bin);
    } finally {
      await fsp.rm(tmpBin, { force: true });
      await fsp.rm(src, { recursive: true, force: true });
    }
    log('install', `FerretDB ${FERRETDB_VERSION} built in ${((Date.now() - t0) / 1000).toFixed(0)} s -> ${bin}`);
    return bin;
  });
}

// ---------------------------------------------------------------------------
// Java, test user

export interface JavaInfo {
  javaHome: string;
  major: number;
}

async function javaMajor(javaBin: string): Promise<number | undefined> {
  try {
    const { stdout, stderr } = await run(javaBin, ['-version'], { timeoutMs: 30_000 });
    const m = /version "(\d+)(?:\.(\d+))?/.exec(stderr + stdout);
    if (!m) return undefined;
    const major = Number(m[1]);
    return major === 1 ? Number(m[2]) : major;
  } catch {
    return undefined;
  }
}

/** OpenSearch 2.x runs on Java 11, 17 and 21; prefers 17, installs openjdk-17 if none. */
export async function ensureJava(): Promise<JavaInfo> {
  const candidates: string[] = [];
  if (process.env.SIDECAL_TEST_JAVA_HOME) candidates.push(process.env.SIDECAL_TEST_JAVA_HOME);
  if (process.env.JAVA_HOME) candidates.push(process.env.JAVA_HOME);
  for (const v of [17, 21, 11]) candidates.push(`/usr/lib/jvm/java-${v}-openjdk-amd64`, `/usr/lib/jvm/java-${v}-openjdk-arm64`);
  const onPath = which('java');
  if (onPath) candidates.push(path.dirname(path.dirname(fs.realpathSync(onPath))));
  const find = async (): Promise<JavaInfo | undefined> => {
    for (const home of candidates) {
      const bin = path.join(home, 'bin', 'java');
      if (!(await exists(bin))) continue;
      const major = await javaMajor(bin);
      if (major !== undefined && major >= 11 && major <= 21) return { javaHome: home, major };
    }
    return undefined;
  };
  const found = await find();
  if (found) return found;
  await ensureAptPackages(['openjdk-17-jre-headless']);
  const again = await find();
  if (!again) throw new Error('no Java 11/17/21 found for OpenSearch (set JAVA_HOME)');
  return again;
}

/** uid/gid of the unprivileged user that runs OpenSearch, created if missing (root only). */
export async function ensureTestUser(): Promise<{ name: string; uid: number; gid: number }> {
  const lookup = async () => {
    try {
      const uid = Number((await run('id', ['-u', TEST_USER])).stdout.trim());
      const gid = Number((await run('id', ['-g', TEST_USER])).stdout.trim());
      return { name: TEST_USER, uid, gid };
    } catch {
      return undefined;
    }
  };
  const u = await lookup();
  if (u) return u;
  await withLock('useradd', async () => {
    if (await lookup()) return;
    log('install', `creating system user ${TEST_USER} (OpenSearch refuses to run as root)`);
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', TEST_USER]);
  });
  const again = await lookup();
  if (!again) throw new Error(`could not create user ${TEST_USER}`);
  return again;
}

// ---------------------------------------------------------------------------
// OpenSearch

interface OsModule {
  dir: string;
  artifact: string;
  classname: string;
  extended?: string;
  policy?: string;
  description: string;
}

const PAINLESS_POLICY = `grant {
  permission java.lang.RuntimePermission "createClassLoader";
  permission java.lang.RuntimePermission "getClassLoader";
};
`;
const REINDEX_POLICY = `grant {
  permission java.net.SocketPermission "*", "connect";
};
grant codeBase "\${codebase.opensearch-rest-client}" {
  permission java.net.NetPermission "getProxySelector";
};
grant codeBase "\${codebase.httpasyncclient}" {
  permission java.net.NetPermission "getProxySelector";
};
`;

/**
 * Modules of the full OpenSearch distribution that the minimal zip lacks and
 * that a calendar search needs: analysis-common (whitespace/ngram tokenizers,
 * lowercase/asciifolding filters...), lang-painless (scripts; analysis-common
 * extends it), reindex (_delete_by_query, _update_by_query, _reindex) and
 * mapper-extras (search_as_you_type, scaled_float...).
 */
const OPENSEARCH_MODULES: OsModule[] = [
  { dir: 'lang-painless', artifact: 'lang-painless', classname: 'org.opensearch.painless.PainlessPlugin', policy: PAINLESS_POLICY, description: 'An easy, safe and fast scripting language for OpenSearch' },
  { dir: 'analysis-common', artifact: 'analysis-common', classname: 'org.opensearch.analysis.common.CommonAnalysisPlugin', extended: 'lang-painless', description: 'Adds "built in" analyzers to OpenSearch.' },
  { dir: 'reindex', artifact: 'reindex-client', classname: 'org.opensearch.index.reindex.ReindexPlugin', policy: REINDEX_POLICY, description: 'The Reindex module adds APIs to reindex from one index to another or update documents in place.' },
  { dir: 'mapper-extras', artifact: 'mapper-extras-client', classname: 'org.opensearch.index.mapper.MapperExtrasPlugin', description: 'Adds advanced field mappers' },
];

async function download(url: string, dest: string): Promise<void> {
  const curl = which('curl');
  if (!curl) throw new Error('curl is needed to download from Maven Central');
  await run(curl, ['-sSfL', '--retry', '3', '-o', dest, url], { timeoutMs: 15 * 60_000 });
}

async function sha1(file: string): Promise<string> {
  const h = createHash('sha1');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function installOpenSearchModule(home: string, mod: OsModule, work: string): Promise<void> {
  const mvn = which('mvn');
  if (!mvn) await ensureAptPackages(['maven']);
  const mvnBin = which('mvn') ?? 'mvn';
  const pomDir = path.join(work, `pom-${mod.dir}`);
  const out = path.join(work, `jars-${mod.dir}`);
  await fsp.mkdir(pomDir, { recursive: true });
  await fsp.writeFile(
    path.join(pomDir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>sidecal.test</groupId><artifactId>opensearch-${mod.dir}</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>org.opensearch.plugin</groupId><artifactId>${mod.artifact}</artifactId><version>${OPENSEARCH_VERSION}</version></dependency></dependencies>
</project>\n`,
  );
  await run(mvnBin, ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${out}`], {
    cwd: pomDir,
    timeoutMs: 15 * 60_000,
  });
  // Jars the server already ships (same artifact, any version) must not be duplicated: jar hell.
  const strip = (f: string) => f.replace(/-\d[^/]*\.jar$/, '');
  const libJars = new Set((await fsp.readdir(path.join(home, 'lib'))).filter((f) => f.endsWith('.jar')).map(strip));
  const modDir = path.join(home, 'modules', mod.dir);
  await fsp.mkdir(modDir, { recursive: true });
  for (const jar of await fsp.readdir(out)) {
    if (!jar.endsWith('.jar') || libJars.has(strip(jar))) continue;
    if (mod.extended === 'lang-painless' && (jar.startsWith('opensearch-scripting-painless-spi') || jar.startsWith('lang-painless'))) continue;
    await fsp.copyFile(path.join(out, jar), path.join(modDir, jar));
  }
  const descriptor = [
    `description=${mod.description}`,
    `version=${OPENSEARCH_VERSION}`,
    `name=${mod.dir}`,
    `classname=${mod.classname}`,
    'java.version=11',
    `opensearch.version=${OPENSEARCH_VERSION}`,
    `extended.plugins=${mod.extended ?? ''}`,
    'has.native.controller=false',
    '',
  ].join('\n');
  await fsp.writeFile(path.join(modDir, 'plugin-descriptor.properties'), descriptor);
  if (mod.policy) await fsp.writeFile(path.join(modDir, 'plugin-security.policy'), mod.policy);
}

/**
 * Home directory of a cached OpenSearch (minimal distribution + extra
 * modules), downloaded from Maven Central on first use.
 */
export async function ensureOpenSearch(): Promise<string> {
  const home = path.join(cacheRoot(), `opensearch-${OPENSEARCH_VERSION}`);
  const marker = path.join(home, '.sidecal-complete');
  if (await exists(marker)) return home;
  await ensureAptPackages(APT_PACKAGES.opensearch);
  return withLock('opensearch', async () => {
    if (await exists(marker)) return home;
    const t0 = Date.now();
    log('install', `downloading OpenSearch ${OPENSEARCH_VERSION} from Maven Central (first run only)`);
    const base = `${MAVEN_CENTRAL}/org/opensearch/distribution/integ-test-zip/opensearch/${OPENSEARCH_VERSION}/opensearch-${OPENSEARCH_VERSION}.zip`;
    const dl = path.join(cacheRoot(), 'downloads');
    await fsp.mkdir(dl, { recursive: true });
    const zip = path.join(dl, `opensearch-${OPENSEARCH_VERSION}.zip`);
    const sumFile = `${zip}.sha1`;
    await download(`${base}.sha1`, sumFile);
    const expected = (await fsp.readFile(sumFile, 'utf8')).trim().split(/\s+/)[0];
    if (!(await exists(zip)) || (await sha1(zip)) !== expected) {
      await download(base, `${zip}.part`);
      const got = await sha1(`${zip}.part`);
      if (got !== expected) throw new Error(`OpenSearch zip checksum mismatch: got ${got}, expected ${expected}`);
      await fsp.rename(`${zip}.part`, zip);
    }
    const work = path.join(cacheRoot(), `.opensearch-work-${process.pid}`);
    await fsp.rm(work, { recursive: true, force: true });
    await fsp.mkdir(work, { recursive: true });
    try {
      await run('unzip', ['-q', zip, '-d', work]);
      const unpacked = path.join(work, `opensearch-${OPENSEARCH_VERSION}`);
      for (const mod of OPENSEARCH_MODULES) {
        log('install', `adding OpenSearch module ${mod.dir} from Maven Central`);
        await installOpenSearchModule(unpacked, mod, work);
      }
      // Everything readable by the unprivileged user that runs it.
      await run('chmod', ['-R', 'a+rX', unpacked]);
      await fsp.rm(home, { recursive: true, force: true });
      await fsp.rename(unpacked, home);
      await fsp.writeFile(marker, `${new Date().toISOString()}\n`);
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
    log('install', `OpenSearch ${OPENSEARCH_VERSION} installed in ${((Date.now() - t0) / 1000).toFixed(0)} s -> ${home}`);
    return home;
  });
}
