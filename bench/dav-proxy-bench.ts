/**
 * DAV proxy: requests per second and latency through sidecal's `/dav` as ratios to direct access to the same upstream
 * (and to nginx as a reverse proxy on loopback when `nginx` is installed), plus sidecal's memory while 256 MiB stream
 * through it each way. The upstream is a minimal Node HTTP server in its own process, so the proxy's cost is what shows.
 *
 *   npx tsx bench/dav-proxy-bench.ts   # env: DURATION=5 (s per run), CONNECTIONS=16, SIDECAL_LOG_LEVEL=info
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const DURATION = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
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

function startChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
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

/** autocannon only speaks RFC 7231 verbs; the proxy runs the same code for PROPFIND/REPORT, so GET stands for them. */
async function load(url: string): Promise<{ rps: number; p50: number; p99: number }> {
  const r = await autocannon({ url, method: 'GET', connections: CONNECTIONS, duration: DURATION, headers: { authorization: ADMIN, depth: '1' } });
  // A stray socket error in tens of thousands of requests is noise; a real failure rate is not.
  if (r.non2xx > 0 || r.errors > r.requests.average * DURATION * 0.001) throw new Error(`GET ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(url, { headers: { authorization: ADMIN } });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

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

async function nginx(upstreamPort: number): Promise<{ url: string; stop: () => void } | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
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
    return { url: `http://127.0.0.1:${port}`, stop: () => (child.kill(), rmSync(dir, { recursive: true, force: true })) };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const up = await startChild(process.execPath, ['-e', UPSTREAM], process.env, /PORT (\d+)/);
  const upstream = `http://127.0.0.1:${up.match[1]}`;
  const restPort = 20000 + Math.floor(Math.random() * 20000);
  const side = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '', SIDECAL_CONF_DIR: '/nonexistent', LOG_LEVEL: process.env.SIDECAL_LOG_LEVEL ?? 'info', REST_API_PORT: String(restPort),
      REST_API_HOST: '127.0.0.1', WEBADMIN_ENABLED: 'false', SPA_CALENDAR_URL: 'http://calendar.test/', SPA_EXCAL_URL: 'http://excal.test/',
      DAV_URL: `${upstream}/`, DAV_ADMIN_USER: 'admin', DAV_ADMIN_PASSWORD: 'secret', ADMIN_PASSWORD: 'adminpw', MAIL_SENDER: 'no-reply@open-paas.org', DOMAINS: 'linagora.com',
    },
    // Logs go to a pipe we drain, as they would go to a collector in production.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  side.stdout!.resume();
  const sidecal = `http://127.0.0.1:${restPort}`;
  await waitForHttp(`${sidecal}/dav/calendars/u/c/x.ics`);
  const ng = await nginx(Number(up.match[1]));
  const rows: string[] = [];
  try {
    // 1 KiB ICS (streamed as is) and a 20-response multistatus (streamed through the href rewriter).
    for (const [label, path] of [['ics 1KiB', '/calendars/u/c/x.ics'], ['xml 207', '/calendars/u/multistatus/']] as const) {
      await load(`${sidecal}/dav${path}`);
      const direct = await load(`${upstream}${path}`);
      const proxied = await load(`${sidecal}/dav${path}`);
      const viaNginx = ng ? await load(`${ng.url}/dav${path}`) : undefined;
      rows.push(`${label.padEnd(8)} direct ${direct.rps.toFixed(0)} req/s p50 ${direct.p50} ms | sidecal ${proxied.rps.toFixed(0)} req/s p50 ${proxied.p50} ms p99 ${proxied.p99} ms` +
        ` | rps ratio sidecal/direct ${(proxied.rps / direct.rps).toFixed(2)}` +
        (viaNginx ? ` | nginx ${viaNginx.rps.toFixed(0)} req/s p50 ${viaNginx.p50} ms, rps ratio sidecal/nginx ${(proxied.rps / viaNginx.rps).toFixed(2)}` : ' | nginx not installed'));
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
