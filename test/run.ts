/**
 * The project's test entry point (`npm test`, `npm run test:unit`).
 *
 *   npm test                                   all tests, real backends started as needed
 *   npm test -- test/foo.test.ts test/bar/     only these files / folders
 *   npm test -- mongo                          files whose path contains "mongo"
 *   npm test -- --test-name-pattern=upsert     options starting with -- go to node --test
 *   npm run test:unit                          SIDECAL_SKIP_REAL=1: skips *.real.test.ts
 *
 * Files named *.real.test.ts need real servers: unless SIDECAL_SKIP_REAL=1,
 * the harness starts every backend whose env var (MONGO_URL, REDIS_URL,
 * RABBITMQ_URI, LDAP_URL, OPENSEARCH_URL, CALDAV_URL) is not already set,
 * passes their env vars to the tests, and stops them afterwards. If a backend
 * cannot be brought up, the run fails.
 *
 * Other env: SIDECAL_TEST_BACKENDS=mongo,redis (start only these),
 * SIDECAL_TEST_CONCURRENCY (files run in parallel, default 1),
 * SIDECAL_TEST_CACHE (install cache), SIDECAL_TEST_KEEP_DATA=1 (keep temp dirs).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAll, type StartAllResult } from './harness/backends.js';
import { startControlServer, type ControlServer } from './harness/control.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_DIR = path.join(ROOT, 'test');

function findTestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTestFiles(p));
    else if (e.isFile() && e.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function selectFiles(all: string[], filters: string[]): string[] {
  if (filters.length === 0) return all;
  const selected = new Set<string>();
  for (const f of filters) {
    const abs = path.resolve(process.cwd(), f);
    let matched: string[];
    if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) {
      matched = all.filter((x) => x.startsWith(abs + path.sep));
    } else if (fs.existsSync(abs)) {
      matched = [abs];
    } else {
      matched = all.filter((x) => path.relative(ROOT, x).includes(f));
    }
    if (matched.length === 0) {
      console.error(`[test] no test file matches "${f}"`);
      process.exit(1);
    }
    matched.forEach((m) => selected.add(m));
  }
  return [...selected].sort();
}

const isReal = (f: string) => f.endsWith('.real.test.ts');

function banner(lines: string[]): void {
  const w = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '!'.repeat(w);
  console.error([bar, ...lines.map((l) => `! ${l.padEnd(w - 4)} !`), bar].join('\n'));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const nodeOpts = args.filter((a) => a.startsWith('--'));
  const filters = args.filter((a) => !a.startsWith('--'));
  const files = selectFiles(findTestFiles(TEST_DIR), filters);
  const skipReal = process.env.SIDECAL_SKIP_REAL === '1';
  const realFiles = files.filter(isReal);
  const runFiles = skipReal ? files.filter((f) => !isReal(f)) : files;

  if (skipReal && realFiles.length) {
    banner([
      `SIDECAL_SKIP_REAL=1: SKIPPING ${realFiles.length} real-backend test file(s) (*.real.test.ts).`,
      'MongoDB, Redis, RabbitMQ, LDAP, OpenSearch and CalDAV are NOT tested in this run.',
      'Run `npm test` to include them.',
    ]);
  }
  if (runFiles.length === 0) {
    console.error('[test] no test files to run');
    return 0;
  }

  let backends: StartAllResult | undefined;
  let controlServer: ControlServer | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  let stopping: Promise<void> | undefined;
  const stopBackends = () => {
    stopping ??= (async () => {
      await controlServer?.close().catch(() => undefined);
      if (!backends) return;
      const t = Date.now();
      try {
        await backends.stop();
        console.error(`[harness] backends stopped in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      } catch (err) {
        console.error(`[harness] error while stopping backends: ${(err as Error).message}`);
      }
    })();
    return stopping;
  };
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[test] ${sig} received: stopping tests and backends`);
    child?.kill(sig);
    void stopBackends().then(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    if (realFiles.length && !skipReal) {
      try {
        backends = await startAll();
      } catch (err) {
        console.error(`\n${(err as Error).message}\n`);
        console.error('[test] FAILED: the real-backend layer could not be set up (see above).');
        return 1;
      }
      if (interrupted) return 130;
      Object.assign(childEnv, backends.env);
      controlServer = await startControlServer(backends);
      Object.assign(childEnv, controlServer.env);
      console.error(backends.summary());
    }

    const concurrency = process.env.SIDECAL_TEST_CONCURRENCY ?? '1';
    const nodeArgs = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...nodeOpts, ...runFiles];
    const t = Date.now();
    const code = await new Promise<number>((resolve) => {
      child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: childEnv, stdio: 'inherit' });
      child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
      child.on('error', (e) => {
        console.error(`[test] could not run node --test: ${e.message}`);
        resolve(1);
      });
    });
    console.error(`[test] ${runFiles.length} file(s) ran in ${((Date.now() - t) / 1000).toFixed(1)} s, exit code ${code}`);
    return code;
  } finally {
    await stopBackends();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
