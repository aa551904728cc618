/**
 * DAV proxy: requests per second and latency through sidecal's `/dav` as ratios to direct access to the same upstream
 * (and to nginx as a reverse proxy on loopback when `nginx` is installed), plus sidecal's memory while 256 MiB stream
 * through it each way. The upstream is a minimal Node HTTP server in its own process, so the proxy's cost is what shows.
 *
 * Each proxy's CPU time per request is measured too (sidecal's process, nginx's worker): unlike req/s it does not
 * depend on what else the 2 cores run, so the CPU ratio nginx/sidecal is the figure that compares the two proxies.
 *
 *   npx tsx bench/dav-proxy-bench.ts   # env: DURATION=5 (s per run), ROUNDS=3, CONNECTIONS=16, SIDECAL_LOG_LEVEL=info,
 *                                      #      SIDECAL_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (profile sidecal)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getFreePort } from '../test/harness/ports.js';
import { load as loadPids, median, startChild, startSidecalProcess, waitForOk, type LoadResult } from './lib/load.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BIG = 256 * 1024 * 1024;
const ADMIN = `Basic ${Buffer.from('admin@open-paas.org:adminpw').toString('base64')}`;

const UPSTREAM = `
const http = require('node:http');
const ics = 'BEGIN:VCALENDAR\\r\\n' + 'X-PAD:' + 'x'.repeat(1000) + '\\r\\nEND:VCALENDAR\\r\\n';
const xml = '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">' + Array.from({ length: 20 }, (_, i) => '<d:response><d:href>/calendars/u/c/' + i + '.ics</d:href><d:propstat><d:prop><d:getetag>"e' + i + '"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>').join('') + '</d:multistatus>';
const chunk = Buffer.alloc(64 * 1024, 97);
http.createServer((req, res) => {
  if (req.url.startsWith('/big') && req.method === 'PUT') { let n = 0; req.on('data', (c) => n += c.length); req.on('end', () => { res.writeHead(201, { 'x-received': String(n) }); res.end(); }); return; }
  if (req.url.startsWith('/big')) { res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': ${BIG} }); let sent = 0;
    const write = () => { while (sent < ${BIG}) { sent += chunk.length; if (!res.write(chunk)) return res.once('drain', write); } res.end(); }; return write(); }
  req.resume();
  if (req.url.includes('/multistatus')) { res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' }); return res.end(xml); }
  res.writeHead(200, { 'content-type': 'text/calendar', etag: '"abc"' }); res.end(ics);
}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });
`;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Peak RSS of the sidecal process while `work` runs, sampled every 50 ms. */
async function peakRss(pid: number, work: () => Promise<void>): Promise<number> {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return peak;
}

function stream(url: string, method: 'GET' | 'PUT'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { authorization: ADMIN, ...(method === 'PUT' ? { 'content-type': 'application/octet-stream', 'content-length': BIG } : {}) } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(method === 'PUT' ? Number(res.headers['x-received']) : n));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (method === 'GET') return void req.end();
    const chunk = Buffer.alloc(64 * 1024, 98);
    void pipeline(Readable.from((function* () { for (let s = 0; s < BIG; s += chunk.length) yield chunk; })()), req).catch(reject);
  });
}

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

const load = (url: string, pids: number[]): Promise<LoadResult> => loadPids(url, { authorization: ADMIN, depth: '1' }, pids);

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

async function main(): Promise<void> {
  const up = await startChild(process.execPath, ['-e', UPSTREAM], process.env, /PORT (\d+)/);
  const upstream = `http://127.0.0.1:${up.match[1]}`;
  const restPort = await getFreePort();
  const side = startSidecalProcess({ REST_API_PORT: String(restPort), DAV_URL: `${upstream}/` });
  const sidecal = `http://127.0.0.1:${restPort}`;
  await waitForOk(`${sidecal}/dav/calendars/u/c/x.ics`, { authorization: ADMIN });
  const ng = await nginx(Number(up.match[1]));
  const np = await startChild(process.execPath, ['-e', NODE_PROXY], { ...process.env, UPSTREAM: upstream }, /PORT (\d+)/);
  const nodeProxy = `http://127.0.0.1:${np.match[1]}`;
  const rows: string[] = [];
  try {
    // 1 KiB ICS (streamed as is) and a 20-response multistatus (streamed through the href rewriter).
    const upPid = up.child.pid!;
    for (const [label, path] of [['ics 1KiB', '/calendars/u/c/x.ics'], ['xml 207', '/calendars/u/multistatus/']] as const) {
      await load(`${sidecal}/dav${path}`, [side.pid!]); // JIT warm-up, not counted
      const runs: { direct: LoadResult; sidecal: LoadResult; node: LoadResult; nginx?: LoadResult }[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        // Alternating order each round: load from other work drifts during a run.
        const order = i % 2 === 0 ? ['direct', 'sidecal', 'node', 'nginx'] : ['nginx', 'node', 'sidecal', 'direct'];
        const run: Partial<(typeof runs)[number]> = {};
        for (const which of order) {
          if (which === 'direct') run.direct = await load(`${upstream}${path}`, [upPid]);
          if (which === 'sidecal') run.sidecal = await load(`${sidecal}/dav${path}`, [side.pid!]);
          if (which === 'node') run.node = await load(`${nodeProxy}/dav${path}`, [np.child.pid!]);
          if (which === 'nginx' && ng) run.nginx = await load(`${ng.url}/dav${path}`, [ng.workerPid]);
        }
        runs.push(run as (typeof runs)[number]);
      }
      const m = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
      rows.push(`${label.padEnd(8)} direct ${m((r) => r.direct.rps).toFixed(0)} req/s | sidecal ${m((r) => r.sidecal.rps).toFixed(0)} req/s p50 ${m((r) => r.sidecal.p50)} ms p99 ${m((r) => r.sidecal.p99)} ms, ` +
        `${m((r) => r.sidecal.cpuUs).toFixed(0)} µs CPU/req | rps ratio sidecal/direct ${m((r) => r.sidecal.rps / r.direct.rps).toFixed(2)}` +
        (ng ? ` | nginx ${m((r) => r.nginx!.rps).toFixed(0)} req/s p50 ${m((r) => r.nginx!.p50)} ms, ${m((r) => r.nginx!.cpuUs).toFixed(0)} µs CPU/req;` +
          ` sidecal/nginx: rps ratio ${m((r) => r.sidecal.rps / r.nginx!.rps).toFixed(2)}, CPU-per-request ratio nginx/sidecal ${m((r) => r.nginx!.cpuUs / r.sidecal.cpuUs).toFixed(2)}` +
          `, p50 added over direct: sidecal ${m((r) => r.sidecal.p50 - r.direct.p50)} ms, nginx ${m((r) => r.nginx!.p50 - r.direct.p50)} ms` : ' | nginx not installed') +
        ` | minimal Node proxy ${m((r) => r.node.rps).toFixed(0)} req/s, ${m((r) => r.node.cpuUs).toFixed(0)} µs CPU/req, CPU ratio node-proxy/sidecal ${m((r) => r.node.cpuUs / r.sidecal.cpuUs).toFixed(2)}` +
        ` (medians of ${ROUNDS} rounds)`);
    }
    const idle = rssMiB(side.pid!);
    let got = 0;
    const peakDown = await peakRss(side.pid!, async () => void (got = await stream(`${sidecal}/dav/big`, 'GET')));
    if (got !== BIG) throw new Error(`download got ${got} bytes`);
    const peakUp = await peakRss(side.pid!, async () => void (got = await stream(`${sidecal}/dav/big`, 'PUT')));
    if (got !== BIG) throw new Error(`upload delivered ${got} bytes`);
    rows.push(`memory   idle RSS ${idle.toFixed(0)} MiB; peak while streaming ${BIG >> 20} MiB down ${peakDown.toFixed(0)} MiB, up ${peakUp.toFixed(0)} MiB` +
      ` (growth ratio to body size: ${((Math.max(peakDown, peakUp) - idle) / (BIG >> 20)).toFixed(3)})`);
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
