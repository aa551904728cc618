import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { BadRequestError, NotFoundError } from '../core/errors.js';
import { parseDuration } from '../config/units.js';
import type { App } from '../http/server.js';
import { TASK_STATUSES, type TaskExecution, type TaskFilter, type TaskManager, type TaskStatus } from '../tasks/task.js';
import { jamesDate } from './webadmin-dates.js';
import { withErrors } from './webadmin-schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_AWAIT_MS = 365 * 86_400_000;

export const TaskReport = Type.Object(
  {
    taskId: Type.String(),
    type: Type.String(),
    status: Type.String(),
    submittedFrom: Type.String(),
    executedOn: Type.Union([Type.String(), Type.Null()]),
    cancelledFrom: Type.Union([Type.String(), Type.Null()]),
    additionalInformation: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    submitDate: Type.String(),
    startedDate: Type.Optional(Type.String()),
    completedDate: Type.Optional(Type.String()),
    failedDate: Type.Optional(Type.String()),
    canceledDate: Type.Optional(Type.String()),
  },
  { description: 'James task execution report' },
);

/** James task routes (spec webadmin.md 2.4). */
export function tasksRoutes(deps: { tasks: TaskManager }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    const { tasks } = deps;
    const Params = Type.Object({ id: Type.String() });

    app.get('/tasks', {
      schema: {
        tags: ['Tasks'], summary: 'List tasks, newest first', operationId: 'listTasks',
        querystring: Type.Record(Type.String(), Type.String()),
        response: withErrors({ 200: Type.Array(TaskReport) }, 400),
      },
    }, async (req) => (await tasks.list(parseFilter(req.query))).map(report));

    app.get('/tasks/:id', {
      schema: { tags: ['Tasks'], summary: 'Get a task', operationId: 'getTask', params: Params, response: withErrors({ 200: TaskReport }, 400, 404) },
    }, async (req) => {
      const id = validId(req.params.id);
      const ex = await tasks.get(id);
      if (!ex) throw new NotFoundError(`${id} can not be found`, { webadminType: 'notFound' });
      return report(ex);
    });

    app.get('/tasks/:id/await', {
      schema: {
        tags: ['Tasks'], summary: 'Wait for a task to finish', operationId: 'awaitTask', params: Params,
        querystring: Type.Object({ timeout: Type.Optional(Type.String()) }),
        response: withErrors({ 200: TaskReport }, 400, 404, 408),
      },
    }, async (req) => {
      const id = validId(req.params.id);
      return report(await tasks.await(id, parseTimeout(req.query.timeout)));
    });

    app.delete('/tasks/:id', {
      schema: { tags: ['Tasks'], summary: 'Cancel a task', operationId: 'cancelTask', params: Params, response: withErrors({ 204: Type.Null() }, 400) },
    }, async (req, reply) => {
      await tasks.cancel(validId(req.params.id));
      return reply.code(204).send();
    });
  };
}

export function report(ex: TaskExecution): Record<string, unknown> {
  const out: Record<string, unknown> = {
    taskId: ex.taskId,
    type: ex.type,
    status: ex.status,
    submittedFrom: ex.submittedFrom,
    executedOn: ex.executedOn,
    cancelledFrom: ex.cancelledFrom,
    additionalInformation: ex.additionalInformation,
    submitDate: jamesDate(ex.submitDate),
  };
  if (ex.startedDate) out.startedDate = jamesDate(ex.startedDate);
  if (ex.completedDate) out.completedDate = jamesDate(ex.completedDate);
  if (ex.failedDate) out.failedDate = jamesDate(ex.failedDate);
  if (ex.canceledDate) out.canceledDate = jamesDate(ex.canceledDate);
  return out;
}

function validId(id: string): string {
  if (!UUID.test(id)) throw new BadRequestError('Invalid task id', { details: `${id} is not a UUID` });
  return id.toLowerCase();
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return MAX_AWAIT_MS;
  try {
    const ms = parseDuration(raw, 's');
    if (ms < 0 || ms > MAX_AWAIT_MS) throw new Error('timeout must be between 0 and 365 days');
    return ms;
  } catch (e) {
    throw new BadRequestError('Invalid timeout', { details: (e as Error).message });
  }
}

const DATE_FILTERS = ['submittedBefore', 'submittedAfter', 'startedBefore', 'startedAfter', 'completedBefore', 'completedAfter', 'failedBefore', 'failedAfter'] as const;

function parseFilter(query: Record<string, string>): TaskFilter {
  const bad = (details: string) => new BadRequestError('Invalid status query parameter', { details });
  const filter: TaskFilter = {};
  if (query.status !== undefined) {
    const status = TASK_STATUSES.find((s) => s.toLowerCase() === query.status!.toLowerCase());
    if (!status) throw bad(`Invalid status: ${query.status}`);
    filter.status = status as TaskStatus;
  }
  if (query.type !== undefined) filter.type = query.type;
  for (const key of DATE_FILTERS) {
    const v = query[key];
    if (v === undefined) continue;
    const d = new Date(v);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(d.getTime())) throw bad(`Invalid ${key}: ${v}`);
    filter[key] = d;
  }
  for (const key of ['offset', 'limit'] as const) {
    const v = query[key];
    if (v === undefined) continue;
    if (!/^\d+$/.test(v)) throw bad(`Invalid ${key}: ${v}`);
    filter[key] = Number(v);
  }
  return filter;
}
