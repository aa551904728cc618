import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { RequestDurations } from './request-durations.js';

/** One Prometheus registry per process, shared by both servers, the consumers and the jobs. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new RequestDurations();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    // Not a prom-client class, but it answers everything the registry asks of a metric (see request-durations.ts).
    this.registry.registerMetric(this.httpDuration as unknown as Metric);
  }

  /** Times every request of a server by its route template (never the raw URL: ids would explode cardinality). */
  instrument(app: FastifyInstance, server: 'rest' | 'webadmin'): void {
    const observe = this.httpDuration.observerFor(server);
    // Callback style, like every per-request hook (see createServer).
    app.addHook('onResponse', (request, reply, done) => {
      observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }

  async render(names?: string[]): Promise<string> {
    if (!names || names.length === 0) return this.registry.metrics();
    const parts: string[] = [];
    for (const name of names) {
      const metric = this.registry.getSingleMetric(name);
      if (metric) parts.push(await this.registry.getSingleMetricAsString(name));
    }
    return parts.join('\n') + (parts.length ? '\n' : '');
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
