/**
 * Redis (Debian redis-server) on 127.0.0.1, no persistence, data dir in a temp dir.
 *
 * Env: REDIS_URL.
 */
import net from 'node:net';
import path from 'node:path';
import { APT_PACKAGES, ensureAptPackages } from './install.js';
import { getFreePort } from './ports.js';
import {
  failStart,
  log,
  makeTempDir,
  secondsSince,
  spawnServer,
  stopOnce,
  waitUntil,
  which,
  type ServerProcess,
  type StartedBackend,
} from './util.js';

export const REDIS_ENV_HINT = 'REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379)';

export interface RedisBackend extends StartedBackend {
  env: { REDIS_URL: string };
  url: string;
  port: number;
  logFile: string;
}

/** Sends PING over a raw socket; true on +PONG. */
export function redisPing(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    const done = (ok: boolean) => {
      sock.removeAllListeners();
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(2000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}

export async function startRedis(opts: { startTimeoutMs?: number } = {}): Promise<RedisBackend> {
  const t0 = Date.now();
  let dir: string | undefined;
  let proc: ServerProcess | undefined;
  let logFile: string | undefined;
  try {
    await ensureAptPackages(APT_PACKAGES.redis);
    const bin = which('redis-server');
    if (!bin) throw new Error('redis-server not found after installing the Debian package redis-server');
    dir = await makeTempDir('redis');
    logFile = path.join(dir, 'redis.log');
    const port = await getFreePort();
    proc = spawnServer({
      name: 'redis',
      command: bin,
      args: [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--save', '',
        '--appendonly', 'no',
        '--dir', dir,
        '--daemonize', 'no',
        '--protected-mode', 'yes',
        '--logfile', '',
      ],
      logFile,
      cwd: dir,
    });
    await waitUntil(`PONG on 127.0.0.1:${port}`, () => redisPing(port), {
      timeoutMs: opts.startTimeoutMs ?? 30_000,
      intervalMs: 100,
      proc,
    });
    const url = `redis://127.0.0.1:${port}`;
    log('redis', `ready at ${url} in ${secondsSince(t0)} s`);
    return {
      env: { REDIS_URL: url },
      url,
      port,
      logFile,
      stop: stopOnce(proc, dir),
    };
  } catch (err) {
    return failStart('Redis', err, REDIS_ENV_HINT, logFile, { proc, dir });
  }
}
