import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry, type Metric } from 'prom-client';
import { pino } from 'pino';
import { Metrics } from '../../src/http/metrics.js';
import { DURATION_BUCKETS, RequestDurations } from '../../src/http/request-durations.js';
import { createServer } from '../../src/http/server.js';

// Bounds themselves, between them, below the first, above the last, and series met again after others.
const OBSERVATIONS: Array<[string, string, string, number, number]> = [
  ['rest', 'GET', '/api/user', 200, 0.0004],
  ['rest', 'GET', '/api/user', 200, 0.001],
  ['rest', 'POST', '/api/jwt/generate', 200, 0.3],
  ['webadmin', 'GET', '/domains', 200, 0.02],
  ['rest', 'GET', '/api/user', 401, 12],
  ['rest', 'GET', 'unmatched', 404, 0.0051],
  ['rest', 'GET', '/api/user', 200, 10],
  ['webadmin', 'GET', '/domains', 200, 2.5],
  ['rest', 'POST', '/api/jwt/generate', 200, 0.05],
];

function oracle(): { registry: Registry; histogram: Histogram<'server' | 'method' | 'route' | 'status_code'> } {
  const registry = new Registry();
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by server, method, route template and status',
    labelNames: ['server', 'method', 'route', 'status_code'],
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });
  return { registry, histogram };
}

function ours(): { registry: Registry; durations: RequestDurations } {
  const registry = new Registry();
  const durations = new RequestDurations();
  registry.registerMetric(durations as unknown as Metric);
  return { registry, durations };
}

test('renders exactly what a prom-client Histogram renders for the same observations (text and JSON)', async () => {
  const expected = oracle();
  const actual = ours();
  const observers = new Map<string, ReturnType<RequestDurations['observerFor']>>();
  for (const [server, method, route, status, seconds] of OBSERVATIONS) {
    expected.histogram.observe({ server, method, route, status_code: String(status) }, seconds);
    if (!observers.has(server)) observers.set(server, actual.durations.observerFor(server));
    observers.get(server)!(method, route, status, seconds);
  }
  const text = await actual.registry.metrics();
  assert.equal(text, await expected.registry.metrics());
  assert.match(text, /^http_request_duration_seconds_count\{server="rest",method="GET",route="\/api\/user",status_code="200"\} 3$/m);
  assert.match(text, /^http_request_duration_seconds_bucket\{le="0.001",server="rest",method="GET",route="\/api\/user",status_code="200"\} 2$/m);
  const strip = (json: unknown) => JSON.parse(JSON.stringify(json, (k, v) => (k === 'exemplar' ? undefined : v)));
  assert.deepEqual(strip(await actual.registry.getMetricsAsJSON()), strip(await expected.registry.getMetricsAsJSON()));
});

test('reset empties every server\'s series, and new observations start from zero', async () => {
  const { registry, durations } = ours();
  const rest = durations.observerFor('rest');
  rest('GET', '/api/user', 200, 0.002);
  registry.resetMetrics();
  assert.doesNotMatch(await registry.metrics(), /_count/);
  rest('GET', '/api/user', 200, 0.002);
  assert.match(await registry.metrics(), /^http_request_duration_seconds_count\{server="rest",method="GET",route="\/api\/user",status_code="200"\} 1$/m);
});

test('a server\'s requests are counted by route template, method and status; unknown routes as "unmatched"', async () => {
  const metrics = new Metrics({ defaultMetrics: false });
  const app = createServer({ logger: pino({ level: 'silent' }) });
  metrics.instrument(app, 'rest');
  app.get('/api/things/:id', async () => ({ ok: true }));
  try {
    for (const url of ['/api/things/1', '/api/things/2', '/nowhere']) await app.inject({ url });
    await app.inject({ method: 'HEAD', url: '/api/things/3' });
  } finally {
    await app.close();
  }
  const text = await metrics.render(['http_request_duration_seconds']);
  assert.match(text, /^http_request_duration_seconds_count\{server="rest",method="GET",route="\/api\/things\/:id",status_code="200"\} 2$/m);
  assert.match(text, /^http_request_duration_seconds_count\{server="rest",method="HEAD",route="\/api\/things\/:id",status_code="200"\} 1$/m);
  assert.match(text, /^http_request_duration_seconds_count\{server="rest",method="GET",route="unmatched",status_code="404"\} 1$/m);
  assert.doesNotMatch(text, /things\/1/);
});
