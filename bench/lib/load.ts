/**
 * What the load benchmarks share: child processes that print a readiness line, CPU time of a process, autocannon
 * runs that report req/s, latency and the server's own CPU per request (robust to other work on the machine), and
 * unsaturated runs (one request at a time) that report the latency a single user sees.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent as HttpAgent, get as httpGet } from 'node:http';
import { BASE_ENV } from '../../test/support/sidecal.js';

export const DURATION = Number(process.env.DURATION ?? 5);
export const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);

/** Starts a process and resolves when its stdout or stderr matches `ready`; rejects if it exits first. */
export function startChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let done = false;
    const onData = (d: Buffer) => {
      if (done) return; // keep draining the pipe, stop collecting
      out += d.toString();
      const m = out.match(ready);
      if (m) {
        done = true;
        resolve({ child, match: m });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${out.slice(-2000)}`)));
  });
}

/**
 * sidecal from the sources in its own process (`src/main.ts` under tsx), configured by env only: the tests' minimal
 * valid environment, the REST API on 127.0.0.1, no webadmin, `SIDECAL_LOG_LEVEL` (default info, as in production), then
 * `env`. Its JSON logs go to a pipe that is drained, as they would go to a collector. `SIDECAL_NODE_ARGS` adds node
 * flags (e.g. `--cpu-prof`).
 */
export function startSidecalProcess(env: Record<string, string>): ChildProcess {
  const side = spawn(process.execPath, [...(process.env.SIDECAL_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '', SIDECAL_CONF_DIR: '/nonexistent', ...BASE_ENV,
      LOG_LEVEL: process.env.SIDECAL_LOG_LEVEL ?? 'info', REST_API_HOST: '127.0.0.1', WEBADMIN_ENABLED: 'false', ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  side.stdout!.resume();
  return side;
}

/** Polls `url` (every 100 ms, 30 s at most) until it answers 2xx; resolves with that answer's body. */
export async function waitForOk(url: string, headers: Record<string, string> = {}): Promise<string> {
  let last = '';
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(url, { headers });
      const body = await res.text();
      if (res.ok) return body;
      last = `${res.status} ${body}`;
    } catch (e) {
      last = (e as Error).message; // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered 2xx (last answer: ${last.slice(0, 300)})`);
}

/** User + system CPU time of a process so far, in ms (Linux clock ticks are 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The process listening on a loopback TCP port (a harness server started in its own process group: OpenSearch's JVM,
 * RabbitMQ's beam), found through /proc/net/tcp{,6} and the sockets of this user's processes.
 */
export function listenerPid(port: number): number {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, state 0A is LISTEN, inode is the 10th field
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1]!.split(':')[1]!, 16) === port) inodes.add(f[9]!);
    }
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      try {
        const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
        if (m && inodes.has(m[1]!)) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  throw new Error(`no process of this user listens on port ${port}`);
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** CPU time the measured server process(es) spent per request, in µs. */
  cpuUs: number;
}

/**
 * One autocannon run of GETs (autocannon only speaks RFC 7231 verbs). `pids` are the server processes whose CPU is
 * charged to the requests (the proxy alone, or the proxy and nothing else: the upstream is measured separately).
 */
export async function load(url: string, headers: Record<string, string>, pids: number[]): Promise<LoadResult> {
  const before = pids.map(cpuMs);
  const r = await autocannon({ url, method: 'GET', connections: CONNECTIONS, duration: DURATION, headers });
  const cpu = pids.reduce((sum, pid, i) => sum + cpuMs(pid) - before[i]!, 0);
  // A stray socket error in tens of thousands of requests is noise; a real failure rate is not.
  if (r.non2xx > 0 || r.errors > r.requests.average * DURATION * 0.001) throw new Error(`GET ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs: (cpu * 1000) / Math.max(1, r.requests.average * DURATION) };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface SequentialTarget {
  url: string;
  headers: Record<string, string>;
  /** Server processes charged with the target's requests (CPU per request). */
  pids: number[];
}

export interface SequentialResult {
  /** Latency percentiles in ms, to the µs (time from sending the request to the last byte of the reply). */
  p50: number;
  p99: number;
  cpuUs: number;
}

/** Nearest-rank percentile of an ascending array. */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Latency as a single user sees it: `n` GETs per target, one at a time on one keep-alive connection per target, so no
 * request waits behind another (unlike a saturating run, where latency is mostly queueing). The targets take turns
 * request by request, so load from other work on the machine drifts over all of them alike. `warmUp` requests per
 * target first, not counted. A non-2xx answer fails the run.
 */
export async function sequential(targets: SequentialTarget[], n: number, warmUp = 200): Promise<SequentialResult[]> {
  const agents = targets.map(() => new HttpAgent({ keepAlive: true, maxSockets: 1 }));
  const once = (i: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const t = targets[i]!;
      const start = process.hrtime.bigint();
      httpGet(t.url, { agent: agents[i], headers: t.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) reject(new Error(`GET ${t.url}: ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - start) / 1e6);
        });
        res.on('error', reject);
      }).on('error', reject);
    });
  try {
    for (let k = 0; k < warmUp; k++) for (let i = 0; i < targets.length; i++) await once(i);
    const times = targets.map(() => [] as number[]);
    const before = targets.map((t) => t.pids.map(cpuMs));
    for (let k = 0; k < n; k++) for (let i = 0; i < targets.length; i++) times[i]!.push(await once(i));
    return targets.map((t, i) => {
      const sorted = times[i]!.sort((a, b) => a - b);
      const cpu = t.pids.reduce((sum, pid, j) => sum + cpuMs(pid) - before[i]![j]!, 0);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpuUs: (cpu * 1000) / n };
    });
  } finally {
    for (const a of agents) a.destroy();
  }
}
