/**
 * Authentication pipeline cost (issue #4): requests per second of an authenticated JSON route (`GET /api/user`) with
 * an OIDC bearer token already in the token cache, as a ratio to a bare Fastify route returning the same JSON bytes,
 * both measured in the same run, each server in its own process, autocannon in this one. Target: ratio ≥ 0.5.
 * The identity provider is a stub in a third process that counts its calls, so the run also checks that the loaded
 * phase is served from the cache (the IdP must not be asked again).
 *
 *   npx tsx bench/auth-bench.ts   # env: DURATION=5 (s per run), ROUNDS=3, CONNECTIONS=16, SIDECAL_LOG_LEVEL=info (default, as in production),
 *                                 #      SIDECAL_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (profile sidecal)
 */
import type { ChildProcess } from 'node:child_process';
import { getFreePort } from '../test/harness/ports.js';
import { load as loadPids, median, startChild, startSidecalProcess, waitForOk } from './lib/load.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TOKEN = 'bench-opaque-access-token';
const EMAIL = 'bench.user@linagora.com';

// Answers userinfo and introspection for one token, and how many times it was asked (GET /count).
const IDP = `
const http = require('node:http');
let calls = 0;
http.createServer((req, res) => {
  if (req.url === '/count') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ calls })); }
  calls++;
  let body = '';
  req.on('data', (c) => body += c);
  req.on('end', () => {
    const bearer = req.headers.authorization === 'Bearer ${TOKEN}';
    const introspected = new URLSearchParams(body).get('token') === '${TOKEN}';
    const json = (s, o) => { res.writeHead(s, { 'content-type': 'application/json' }); res.end(JSON.stringify(o)); };
    if (req.url === '/userinfo') return bearer ? json(200, { sub: 'b1', email: '${EMAIL}', given_name: 'Bench', family_name: 'User', sid: 'bench-sid' }) : json(401, {});
    if (req.url === '/introspect') return introspected ? json(200, { active: true, aud: 'tcalendar', exp: Math.floor(Date.now() / 1000) + 3600 }) : json(200, { active: false });
    json(404, {});
  });
}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });
`;

// The baseline: Fastify alone, same body bytes and content type, no hooks.
const BARE = `
const fastify = require('fastify')({ logger: false });
const body = process.env.BENCH_BODY;
fastify.get('/api/user', (req, reply) => reply.type('application/json; charset=utf-8').send(body));
fastify.listen({ port: 0, host: '127.0.0.1' }).then((addr) => console.log('URL ' + addr));
`;

const load = (url: string, headers: Record<string, string>, pid: number) => loadPids(url, headers, [pid]);

async function idpCalls(idp: string): Promise<number> {
  const res = await fetch(`${idp}/count`);
  return ((await res.json()) as { calls: number }).calls;
}

async function main(): Promise<void> {
  const idpChild = await startChild(process.execPath, ['-e', IDP], process.env, /PORT (\d+)/);
  const idp = `http://127.0.0.1:${idpChild.match[1]}`;
  const restPort = await getFreePort();
  const side = startSidecalProcess({
    REST_API_PORT: String(restPort), OIDC_USERINFO_URL: `${idp}/userinfo`, OIDC_INTROSPECT_URL: `${idp}/introspect`, OIDC_AUDIENCE: 'tcalendar',
  });
  let bare: ChildProcess | undefined;
  try {
    const route = `http://127.0.0.1:${restPort}/api/user`;
    // The first 200 is the cache miss that provisions the user.
    const body = await waitForOk(route, { authorization: `Bearer ${TOKEN}` });
    const bareChild = await startChild(process.execPath, ['-e', BARE], { ...process.env, BENCH_BODY: body }, /URL (\S+)/);
    bare = bareChild.child;
    const bareRoute = `${bareChild.match[1]}/api/user`;
    const bareBody = await (await fetch(bareRoute)).text();
    if (bareBody !== body) throw new Error('the bare route does not return the same JSON as sidecal');
    const auth = { authorization: `Bearer ${TOKEN}` };
    // JIT warm-up of both sides: sidecal's CPU per request keeps falling for several seconds of load (many more hooks
    // and schemas to optimise than the bare route), so a short warm-up would charge compilation to the first round.
    for (let i = 0; i < 2; i++) {
      await load(route, auth, side.pid!);
      await load(bareRoute, {}, bare.pid!);
    }
    // Short alternating rounds, order flipped each round, then the median ratio: on a shared machine the load moves
    // during a run, and one long run of each side would attribute that drift to whichever side ran second.
    const before = await idpCalls(idp);
    const rounds: Array<{ baseline: Awaited<ReturnType<typeof load>>; cached: Awaited<ReturnType<typeof load>> }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      const first = i % 2 === 0;
      const a = first ? await load(bareRoute, {}, bare.pid!) : await load(route, auth, side.pid!);
      const b = first ? await load(route, auth, side.pid!) : await load(bareRoute, {}, bare.pid!);
      rounds.push(first ? { baseline: a, cached: b } : { baseline: b, cached: a });
    }
    const asked = (await idpCalls(idp)) - before;
    const ratio = median(rounds.map((r) => r.cached.rps / r.baseline.rps));
    const cpuRatio = median(rounds.map((r) => r.baseline.cpuUs / r.cached.cpuUs));
    // eslint-disable-next-line no-console
    console.log([
      ...rounds.map((r, i) => `round ${i + 1}: bare fastify ${r.baseline.rps.toFixed(0)} req/s p50 ${r.baseline.p50} ms p99 ${r.baseline.p99} ms ${r.baseline.cpuUs.toFixed(0)} µs CPU/req | ` +
        `sidecal (cached OIDC bearer) ${r.cached.rps.toFixed(0)} req/s p50 ${r.cached.p50} ms p99 ${r.cached.p99} ms ${r.cached.cpuUs.toFixed(0)} µs CPU/req | ratio ${(r.cached.rps / r.baseline.rps).toFixed(2)}`),
      `median ratio ${ratio.toFixed(2)} of ${ROUNDS} rounds (target >= 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'}); IdP calls during the loaded runs: ${asked}`,
      `median CPU-per-request ratio bare/sidecal ${cpuRatio.toFixed(2)} (the req/s ratio an idle machine would show when both are CPU-bound)`,
    ].join('\n'));
    if (asked !== 0) throw new Error(`the cached token reached the IdP ${asked} times during the loaded runs`);
  } finally {
    bare?.kill();
    side.kill('SIGTERM');
    idpChild.child.kill();
  }
}

main().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
