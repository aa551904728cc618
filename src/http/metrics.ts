import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';

/** One Prometheus registry per process, shared by both servers, the consumers and the jobs. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'server' | 'method' | 'route' | 'status_code'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by server, method, route template and status',
      labelNames: ['server', 'method', 'route', 'status_code'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  /** Times every request of a server by its route template (never the raw URL: ids would explode cardinality). */
  instrument(app: FastifyInstance, server: 'rest' | 'webadmin'): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.httpDuration.observe(
        { server, method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
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
