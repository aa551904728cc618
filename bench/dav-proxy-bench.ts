/**
 * DAV proxy `/dav`, three phases against the same upstream (a minimal Node HTTP server in its own process, so the
 * proxy's cost is what shows), each compared with direct access, nginx as a reverse proxy on loopback (when `nginx` is
 * installed) and a minimal Node.js proxy:
 *
 * 1. saturating load (autocannon, CONNECTIONS): req/s, latency and each proxy's CPU time per request (its own process,
 *    nginx's worker). Unlike req/s, CPU per request does not depend on what else the 2 cores run.
 * 2. one connection, one request at a time: p50/p99 latency as a single user sees it, and what each proxy adds to
 *    direct access at p50 (the "< 1 ms" target; under saturation added latency is mostly queueing).
 * 3. STREAM_MIB (default 1 GiB) down and up through sidecal: its RSS sampled during each transfer (growth over idle,
 *    overall and per half of the transfer: flat means the second half grows no more than the first), and the bytes
 *    checked complete and intact (length and SHA-1 on both ends).
 *
 *   npx tsx bench/dav-proxy-bench.ts   # env: DURATION=5 (s per run), ROUNDS=3, CONNECTIONS=16, LATENCY_REQUESTS=2000,
 *                                      #      STREAM_MIB=1024, PHASES=saturating,latency,stream, SIDECAL_LOG_LEVEL=info,
 *                                      #      SIDECAL_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (profile sidecal)
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getFreePort } from '../test/harness/ports.js';
import { load as loadPids, median, sequential, startChild, startSidecalProcess, waitForOk, type LoadResult } from './lib/load.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PHASES = (process.env.PHASES ?? 'saturating,latency,stream').split(',');
const LATENCY_REQUESTS = Number(process.env.LATENCY_REQUESTS ?? 2000);
const CHUNK = 64 * 1024;
const CHUNKS = Math.max(1, Math.round((Number(process.env.STREAM_MIB ?? 1024) * 1024 * 1024) / CHUNK));
const BIG = CHUNKS * CHUNK;
const ADMIN = `Basic ${Buffer.from('admin@open-paas.org:adminpw').toString('base64')}`;
const HEADERS = { authorization: ADMIN, depth: '1' };

/** The streamed body, 64 KiB at a time: each chunk differs (fill byte and index), so a lost or repeated one shows. */
function chunkOf(i: number): Buffer {
  const b = Buffer.alloc(65536, (i * 7 + 1) & 255);
  b.writeUInt32BE(i, 0);
  return b;
}

const UPSTREAM = `
const http = require('node:http');
const { createHash } = require('node:crypto');
${chunkOf.toString()}
const ics = 'BEGIN:VCALENDAR\\r\\n' + 'X-PAD:' + 'x'.repeat(1000) + '\\r\\nEND:VCALENDAR\\r\\n';
const xml = '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">' + Array.from({ length: 20 }, (_, i) => '<d:response><d:href>/calendars/u/c/' + i + '.ics</d:href><d:propstat><d:prop><d:getetag>"e' + i + '"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>').join('') + '</d:multistatus>';
http.createServer((req, res) => {
  if (req.url.startsWith('/big') && req.method === 'PUT') { let n = 0; const h = createHash('sha1');
    req.on('data', (c) => { n += c.length; h.update(c); }); req.on('end', () => { res.writeHead(201, { 'x-received': String(n), 'x-received-sha1': h.digest('hex') }); res.end(); }); return; }
  if (req.url.startsWith('/big')) { res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': ${BIG} }); let i = 0;
    const write = () => { while (i < ${CHUNKS}) { if (!res.write(chunkOf(i++))) return res.once('drain', write); } res.end(); }; return write(); }
  req.resume();
  if (req.url.includes('/multistatus')) { res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' }); return res.end(xml); }
  res.writeHead(200, { 'content-type': 'text/calendar', etag: '"abc"' }); res.end(ics);
}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });
`;

// The floor for any Node.js proxy: node:http in, undici out, bodies piped, a fixed impersonation header, nothing else
// (no auth, routing, logs, metrics or header filtering). sidecal's CPU per request against this one is its own cost.
const NODE_PROXY = `
const http = require('node:http');
const { Agent, request } = require('undici');
const agent = new Agent({ keepAliveTimeout: 60000, connections: 64 });
const base = process.env.UPSTREAM;
http.createServer(async (req, res) => {
  try {
    const up = await request(base + req.url.slice(4), { method: req.method, headers: { authorization: 'Basic YWRtaW4mYWRtaW5Ab3Blbi1wYWFzLm9yZzpzZWNyZXQ=', depth: req.headers.depth || '0' }, dispatcher: agent });
    res.writeHead(up.statusCode, { 'content-type': up.headers['content-type'] || 'application/octet-stream', ...(up.headers.etag ? { etag: up.headers.etag } : {}) });
    up.body.pipe(res);
  } catch (e) { res.writeHead(502); res.end(); }
}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });
`;

const load1 = (): string => loadavg()[0]!.toFixed(1);
const ms = (x: number): string => x.toFixed(3);

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Peak RSS of a process in each half of `work` (by time), sampled every 20 ms, and how long `work` took. */
async function peakRss(pid: number, work: () => Promise<void>): Promise<{ halves: [number, number]; seconds: number }> {
  const samples: [number, number][] = [];
  const start = Date.now();
  const sample = () => samples.push([Date.now() - start, rssMiB(pid)]);
  sample();
  const timer = setInterval(sample, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  sample();
  const took = Date.now() - start;
  const peak = (from: number, to: number) => Math.max(...samples.filter(([t]) => t >= from && t <= to).map(([, r]) => r));
  return { halves: [peak(0, took / 2), peak(took / 2, took)], seconds: took / 1000 };
}

/** Streams the BIG body through `url`; resolves with the byte count and SHA-1 of what arrived at the other end. */
function stream(url: string, method: 'GET' | 'PUT'): Promise<{ bytes: number; sha1: string }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: ADMIN, ...(method === 'PUT' ? { 'content-type': 'application/octet-stream', 'content-length': BIG } : {}) };
    const req = request(url, { method, headers }, (res) => {
      let bytes = 0;
      const h = createHash('sha1');
      res.on('data', (c: Buffer) => ((bytes += c.length), h.update(c)));
      res.on('end', () =>
        method === 'GET' ? resolve({ bytes, sha1: h.digest('hex') }) : resolve({ bytes: Number(res.headers['x-received']), sha1: String(res.headers['x-received-sha1']) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (method === 'GET') return void req.end();
    void pipeline(Readable.from((function* () { for (let i = 0; i < CHUNKS; i++) yield chunkOf(i); })()), req).catch(reject);
  });
}

async function nginx(upstreamPort: number): Promise<{ url: string; workerPid: number; stop: () => void } | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const port = await getFreePort();
  writeFileSync(join(dir, 'nginx.conf'), `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream sabre { server 127.0.0.1:${upstreamPort}; keepalive 32; }
  server { listen 127.0.0.1:${port};
    location /dav/ { proxy_pass http://sabre/; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Authorization "Basic YWRtaW4mYWRtaW5Ab3Blbi1wYWFzLm9yZzpzZWNyZXQ="; proxy_buffering off; proxy_request_buffering off; } } }
`);
  try {
    const child = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode !== null) return undefined;
    const workerPid = Number(execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n')[0]);
    return { url: `http://127.0.0.1:${port}`, workerPid, stop: () => (child.kill(), rmSync(dir, { recursive: true, force: true })) };
  } catch {
    return undefined;
  }
}

interface Target {
  name: string;
  /** Base URL; the DAV path is appended (after `/dav` for the proxies). */
  url: (path: string) => string;
  pid: number;
}

/** Phase 1: medians of ROUNDS saturating rounds, targets in alternating order (load from other work drifts). */
async function saturating(label: string, path: string, targets: Target[]): Promise<string[]> {
  const side = targets.find((t) => t.name === 'sidecal')!;
  await loadPids(side.url(path), HEADERS, [side.pid]); // JIT warm-up, not counted
  const runs: Record<string, LoadResult>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const run: Record<string, LoadResult> = {};
    for (const t of i % 2 === 0 ? targets : [...targets].reverse()) run[t.name] = await loadPids(t.url(path), HEADERS, [t.pid]);
    runs.push(run);
  }
  const m = (f: (r: Record<string, LoadResult>) => number) => median(runs.map(f));
  const lines = [`${label}, saturating (${process.env.CONNECTIONS ?? 16} connections), medians of ${ROUNDS} rounds, load average ${load1()}:`];
  for (const { name } of targets) {
    const r = (x: Record<string, LoadResult>) => x[name]!;
    lines.push(`  ${name.padEnd(10)} ${m((x) => r(x).rps).toFixed(0).padStart(6)} req/s  p50 ${m((x) => r(x).p50)} ms  p99 ${m((x) => r(x).p99)} ms  ` +
      `${m((x) => r(x).cpuUs).toFixed(0)} µs CPU/req` + (name === 'direct' ? '' : `  req/s ratio to direct ${m((x) => r(x).rps / x.direct!.rps).toFixed(2)}`) +
      (name === 'sidecal' && runs[0]!.nginx ? `, to nginx ${m((x) => x.sidecal!.rps / x.nginx!.rps).toFixed(2)}; CPU/req ratio nginx/sidecal ${m((x) => x.nginx!.cpuUs / x.sidecal!.cpuUs).toFixed(2)}, node/sidecal ${m((x) => x.node!.cpuUs / x.sidecal!.cpuUs).toFixed(2)}` : ''));
  }
  return lines;
}

/**
 * Phase 2: one request at a time, targets taking turns; p50 added = target's p50 minus direct's p50. CPU per request
 * of the proxies only: the upstream also serves every proxied request here.
 */
async function unsaturated(label: string, path: string, targets: Target[]): Promise<string[]> {
  const res = await sequential(targets.map((t) => ({ url: t.url(path), headers: HEADERS, pids: t.name === 'direct' ? [] : [t.pid] })), LATENCY_REQUESTS);
  const direct = res[targets.findIndex((t) => t.name === 'direct')]!;
  return [`${label}, one connection (${LATENCY_REQUESTS} sequential requests per target, interleaved), load average ${load1()}:`,
    ...targets.map((t, i) => `  ${t.name.padEnd(10)} p50 ${ms(res[i]!.p50)} ms  p99 ${ms(res[i]!.p99)} ms` +
      (t.name === 'direct' ? '' : `  ${res[i]!.cpuUs.toFixed(0)} µs CPU/req  p50 added over direct ${ms(res[i]!.p50 - direct.p50)} ms, p99 added ${ms(res[i]!.p99 - direct.p99)} ms`))];
}

/** Phase 3: BIG bytes down then up through sidecal, its RSS sampled; fails if a byte is missing or wrong. */
async function streaming(sidecal: string, pid: number): Promise<string[]> {
  const h = createHash('sha1');
  for (let i = 0; i < CHUNKS; i++) h.update(chunkOf(i));
  const expected = h.digest('hex');
  const lines = [`streaming ${BIG / 2 ** 20} MiB each way through sidecal (RSS sampled every 20 ms; growth over idle, first half / second half of the transfer):`];
  const idle = rssMiB(pid); // before the first transfer: what the second one keeps of the first counts too
  for (const method of ['GET', 'PUT'] as const) {
    let got = { bytes: 0, sha1: '' };
    const { halves, seconds } = await peakRss(pid, async () => void (got = await stream(`${sidecal}/dav/big`, method)));
    if (got.bytes !== BIG || got.sha1 !== expected) throw new Error(`${method}: ${got.bytes} bytes arrived (sha1 ${got.sha1}), expected ${BIG} (sha1 ${expected})`);
    const growth = Math.max(...halves) - idle;
    lines.push(`  ${method === 'GET' ? 'down' : 'up  '} idle RSS ${idle.toFixed(0)} MiB, growth ${(halves[0] - idle).toFixed(0)} / ${(halves[1] - idle).toFixed(0)} MiB, ` +
      `max ${growth.toFixed(0)} MiB = ${(growth / (BIG / 2 ** 20)).toFixed(3)} of the body; ${(BIG / 2 ** 20 / seconds).toFixed(0)} MiB/s; bytes complete, SHA-1 equal; load average ${load1()}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const up = await startChild(process.execPath, ['-e', UPSTREAM], process.env, /PORT (\d+)/);
  const upstream = `http://127.0.0.1:${up.match[1]}`;
  const restPort = await getFreePort();
  const side = startSidecalProcess({ REST_API_PORT: String(restPort), DAV_URL: `${upstream}/` });
  const sidecal = `http://127.0.0.1:${restPort}`;
  await waitForOk(`${sidecal}/dav/calendars/u/c/x.ics`, { authorization: ADMIN });
  const ng = await nginx(Number(up.match[1]));
  const np = await startChild(process.execPath, ['-e', NODE_PROXY], { ...process.env, UPSTREAM: upstream }, /PORT (\d+)/);
  const targets: Target[] = [
    { name: 'direct', url: (p) => upstream + p, pid: up.child.pid! },
    { name: 'sidecal', url: (p) => `${sidecal}/dav${p}`, pid: side.pid! },
    ...(ng ? [{ name: 'nginx', url: (p: string) => `${ng.url}/dav${p}`, pid: ng.workerPid }] : []),
    { name: 'node', url: (p) => `http://127.0.0.1:${np.match[1]}/dav${p}`, pid: np.child.pid! },
  ];
  const rows: string[] = [`load average at start ${loadavg().map((x) => x.toFixed(1)).join(' ')}${ng ? '' : '; nginx not installed'}`];
  try {
    // 1 KiB ICS (sent as is) and a 20-response multistatus (hrefs rewritten).
    for (const [label, path] of [['ics 1KiB', '/calendars/u/c/x.ics'], ['xml 207', '/calendars/u/multistatus/']] as const) {
      if (PHASES.includes('saturating')) rows.push(...(await saturating(label, path, targets)));
      if (PHASES.includes('latency')) rows.push(...(await unsaturated(label, path, targets)));
    }
    if (PHASES.includes('stream')) rows.push(...(await streaming(sidecal, side.pid!)));
  } finally {
    ng?.stop();
    np.child.kill();
    side.kill('SIGTERM');
    up.child.kill();
  }
  // eslint-disable-next-line no-console
  console.log(rows.join('\n'));
}

main().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
