/**
 * MongoDB wire protocol: FerretDB v1 with its SQLite backend on 127.0.0.1,
 * no auth, data in a temp dir. (No MongoDB server package is reachable from
 * this machine; see docs/testing.md for the differences with MongoDB.)
 *
 * Env: MONGO_URL (mongodb://127.0.0.1:PORT/sidecal_test).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureFerretDB, FERRETDB_VERSION } from './install.js';
import { getFreePort } from './ports.js';
import { startServerBackend, type StartedBackend } from './util.js';

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

export function startMongo(opts: { startTimeoutMs?: number } = {}): Promise<MongoBackend> {
  return startServerBackend({
    name: 'mongo',
    label: 'MongoDB (FerretDB)',
    envHint: MONGO_ENV_HINT,
    logName: 'ferretdb.log',
    async prepare(dir) {
      const bin = await ensureFerretDB();
      const dataDir = path.join(dir, 'data');
      const stateDir = path.join(dir, 'state');
      await fsp.mkdir(dataDir);
      await fsp.mkdir(stateDir);
      const port = await getFreePort();
      const url = `mongodb://127.0.0.1:${port}/${MONGO_TEST_DB}`;
      return {
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
        ready: { what: `ping on 127.0.0.1:${port}`, check: () => ping(url), timeoutMs: opts.startTimeoutMs ?? 60_000, intervalMs: 200 },
        readyMessage: `FerretDB ${FERRETDB_VERSION} (SQLite) ready at ${url}`,
        backend: { env: { MONGO_URL: url }, url, port, server: `FerretDB ${FERRETDB_VERSION} (SQLite backend)` },
      };
    },
  });
}
