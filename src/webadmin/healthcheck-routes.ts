import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../core/errors.js';
import { HealthChecks, worst, type HealthCheck } from '../health/health-check.js';
import type { App } from '../http/server.js';
import type { Metrics } from '../http/metrics.js';
import { withErrors } from './webadmin-schemas.js';

const Result = Type.Object({
  componentName: Type.String(),
  escapedComponentName: Type.String(),
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
  cause: Type.Union([Type.String(), Type.Null()]),
});

/** James healthcheck and Prometheus metrics, both public (spec webadmin.md 2.5, 2.6). */
export function healthAndMetricsRoutes(deps: { health: HealthChecks; metrics: Metrics }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    const { health, metrics } = deps;
    const run = async (c: HealthCheck) => {
      const r = await HealthChecks.run(c);
      return { componentName: c.componentName, escapedComponentName: encodeURIComponent(c.componentName), status: r.status, cause: r.cause };
    };
    const httpStatus = (status: string, strict: boolean) => (status === 'unhealthy' || (strict && status === 'degraded') ? 503 : 200);

    app.get('/healthcheck', {
      schema: {
        tags: ['Healthcheck'], summary: 'Overall health', operationId: 'healthcheck',
        querystring: Type.Object({ check: Type.Optional(Type.Array(Type.String())), strict: Type.Optional(Type.String()) }),
        response: withErrors({ 200: Type.Object({ status: Type.String(), checks: Type.Array(Result) }), 503: Type.Object({ status: Type.String(), checks: Type.Array(Result) }) }, 404),
      },
    }, async (req, reply) => {
      const names = req.query.check ?? [];
      const unknown = names.filter((n) => !health.find(n));
      if (unknown.length > 0) throw new NotFoundError(`Components with name ${unknown.join(', ')} cannot be found`, { webadminType: 'notFound' });
      const selected = names.length > 0 ? health.all().filter((c) => names.includes(c.componentName)) : health.all();
      const checks = await Promise.all(selected.map(run));
      const status = worst(checks.map((c) => c.status));
      return reply.code(httpStatus(status, req.query.strict !== undefined)).send({ status, checks });
    });

    app.get('/healthcheck/checks', {
      schema: {
        tags: ['Healthcheck'], summary: 'List health components', operationId: 'listHealthChecks',
        response: { 200: Type.Array(Type.Object({ componentName: Type.String(), escapedComponentName: Type.String() })) },
      },
    }, async () => health.all().map((c) => ({ componentName: c.componentName, escapedComponentName: encodeURIComponent(c.componentName) })));

    app.get('/healthcheck/checks/:componentName', {
      schema: {
        tags: ['Healthcheck'], summary: 'One component', operationId: 'getHealthCheck',
        params: Type.Object({ componentName: Type.String() }), querystring: Type.Object({ strict: Type.Optional(Type.String()) }),
        response: withErrors({ 200: Result, 503: Result }, 404),
      },
    }, async (req, reply) => {
      const check = health.find(req.params.componentName);
      if (!check) throw new NotFoundError(`Component with name ${req.params.componentName} cannot be found`, { webadminType: 'notFound' });
      const result = await run(check);
      return reply.code(httpStatus(result.status, req.query.strict !== undefined)).send(result);
    });

    app.get('/metrics', {
      schema: {
        tags: ['Metrics'], summary: 'Prometheus metrics', operationId: 'metrics',
        querystring: Type.Object({ 'name[]': Type.Optional(Type.Array(Type.String())) }),
        response: { 200: Type.String() },
      },
    }, async (req, reply) => {
      const text = await metrics.render(req.query['name[]']);
      return reply.type(metrics.contentType).serializer((x: unknown) => String(x)).send(text);
    });
  };
}
