/**
 * MongoDB wire protocol: FerretDB v1 with its SQLite backend on 127.0.0.1,
 * no auth, data in a temp dir. (No MongoDB server package is reachable from
 * this machine; see docs/testing.md for the differences with MongoDB.)
 *
 * Env: MONGO_URL (mongodb://127.0.0.1:PORT/sidecal_test).
 */
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureFerretDB, FERRETDB_VERSION } from './install.js';
import { getFreePort } from './ports.js';
import {
  failStart,
  log,
  makeTempDir,
  secondsSince,
  spawnServer,
  stopOnce,
  waitUntil,
  type ServerProcess,
  type StartedBackend,
} from './util.js';

export const MONGO_ENV_HINT = 'MONGO_URL (e.g. MONGO_URL=mongodb://127.0.0.1:27017/sidecal_test)';
export const MONGO_TEST_DB = 'sidecal_test';

export interface MongoBackend extends StartedBackend {
  env: { MONGO_URL: string };
  url: string;
  port: number;
  server: string;
  logFile: string;
}

async function ping(url: string): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.connect();
    const res = await client.db('admin').command({ ping: 1 });
    return res.ok === 1;
  } finally {
    await client.close().catch(() => undefined);
  }
}

export async function startMongo(opts: { startTimeoutMs?: number } = {}): Promise<MongoBackend> {
  const t0 = Date.now();
  let dir: string | undefined;
  let proc: ServerProcess | undefined;
  let logFile: string | undefined;
  try {
    const bin = await ensureFerretDB();
    dir = await makeTempDir('mongo');
    logFile = path.join(dir, 'ferretdb.log');
    const dataDir = path.join(dir, 'data');
    const stateDir = path.join(dir, 'state');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dataDir);
    await mkdir(stateDir);
    const port = await getFreePort();
    proc = spawnServer({
      name: 'mongo',
      command: bin,
      args: [
        '--handler=sqlite',
        `--sqlite-url=file:${dataDir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        `--state-dir=${stateDir}`,
        '--telemetry=disable',
        '--log-level=warn',
        '--log-format=text',
      ],
      env: { ...process.env, FERRETDB_TELEMETRY: 'disable' },
      logFile,
      cwd: dir,
    });
    const url = `mongodb://127.0.0.1:${port}/${MONGO_TEST_DB}`;
    await waitUntil(`ping on 127.0.0.1:${port}`, () => ping(url), {
      timeoutMs: opts.startTimeoutMs ?? 60_000,
      intervalMs: 200,
      proc,
    });
    log('mongo', `FerretDB ${FERRETDB_VERSION} (SQLite) ready at ${url} in ${secondsSince(t0)} s`);
    return {
      env: { MONGO_URL: url },
      url,
      port,
      server: `FerretDB ${FERRETDB_VERSION} (SQLite backend)`,
      logFile,
      stop: stopOnce(proc, dir),
    };
  } catch (err) {
    return failStart('MongoDB (FerretDB)', err, MONGO_ENV_HINT, logFile, { proc, dir });
  }
}
