/**
 * Redis (Debian redis-server) on 127.0.0.1, no persistence, data dir in a temp dir.
 *
 * Env: REDIS_URL.
 */
import net from 'node:net';
import { APT_PACKAGES, ensureAptPackages } from './install.js';
import { getFreePort } from './ports.js';
import { startServerBackend, which, type StartedBackend } from './util.js';

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

export function startRedis(opts: { startTimeoutMs?: number } = {}): Promise<RedisBackend> {
  return startServerBackend({
    name: 'redis',
    label: 'Redis',
    envHint: REDIS_ENV_HINT,
    logName: 'redis.log',
    async prepare(dir) {
      await ensureAptPackages(APT_PACKAGES.redis);
      const bin = which('redis-server');
      if (!bin) throw new Error('redis-server not found after installing the Debian package redis-server');
      const port = await getFreePort();
      const url = `redis://127.0.0.1:${port}`;
      return {
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
        ready: { what: `PONG on 127.0.0.1:${port}`, check: () => redisPing(port), timeoutMs: opts.startTimeoutMs ?? 30_000, intervalMs: 100 },
        readyMessage: `ready at ${url}`,
        backend: { env: { REDIS_URL: url }, url, port },
      };
    },
  });
}
