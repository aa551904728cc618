import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from '../core/errors.js';
import type { App } from '../http/server.js';
import { INVALID_ARGUMENTS } from '../http/webadmin-errors.js';
import type { Task, TaskManager } from '../tasks/task.js';
import { TaskIdBody, withErrors } from './webadmin-schemas.js';

/**
 * The one `task=` registry shared by `POST /calendars` and `POST /addressbook/domain-members[/{domain}]` (spec
 * webadmin.md 1.7, quirk 12). Capabilities register their factories from main.ts; a factory validates its own query
 * parameters (throwing BadRequestError) and returns the task to submit.
 */
export type TaskFactory = (request: FastifyRequest<{ Querystring: Record<string, string>; Params: { domain?: string } }>) => Promise<Task>;

export class CalendarTaskRegistry {
  private readonly factories = new Map<string, TaskFactory>();

  register(name: string, factory: TaskFactory): void {
    this.factories.set(name, factory);
  }

  names(): string[] {
    return [...this.factories.keys()].sort();
  }

  get(name: string): TaskFactory | undefined {
    return this.factories.get(name);
  }
}

/** `domainMembers`: the `/addressbook/domain-members` routes exist only in LDAP mode (otherwise 404, as the reference). */
export function calendarTasksRoutes(deps: { registry: CalendarTaskRegistry; tasks: TaskManager; domainMembers: boolean }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    const { registry, tasks } = deps;
    const submit = async (req: FastifyRequest, reply: FastifyReply) => {
      const query = req.query as Record<string, string>;
      const supported = `Supported values are [${registry.names().join(', ')}]`;
      const value = query.task;
      if (value === undefined) throw new BadRequestError(INVALID_ARGUMENTS, { details: `'task' query parameter is compulsory. ${supported}` });
      if (value.trim() === '') throw new BadRequestError(INVALID_ARGUMENTS, { details: `'task' query parameter cannot be empty or blank. ${supported}` });
      const factory = registry.get(value);
      if (!factory) throw new BadRequestError(INVALID_ARGUMENTS, { details: `Invalid value supplied for query parameter 'task': ${value}. ${supported}` });
      const task = await factory(req as Parameters<TaskFactory>[0]);
      const taskId = await tasks.submit(task);
      return reply.code(201).header('Location', `/tasks/${taskId}`).send({ taskId });
    };
    const schema = (summary: string, operationId: string, withDomain: boolean) => ({
      tags: ['Calendar tasks'],
      summary,
      operationId,
      querystring: Type.Record(Type.String(), Type.String()),
      ...(withDomain ? { params: Type.Object({ domain: Type.String() }) } : {}),
      response: withErrors({ 201: TaskIdBody }, 400, 404),
    });
    app.post('/calendars', { schema: schema('Start a calendar task (reindex, scheduleAlarms, …)', 'calendarTask', false) }, submit);
    if (!deps.domainMembers) return;
    app.post('/addressbook/domain-members', { schema: schema('Start a domain-members task for all domains', 'domainMembersTask', false) }, submit);
    app.post('/addressbook/domain-members/:domain', { schema: schema('Start a domain-members task for one domain', 'domainMembersDomainTask', true) }, submit);
  };
}
