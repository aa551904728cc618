import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { BadRequestError } from '../core/errors.js';
import { checkUsername } from '../core/names.js';
import type { App } from '../http/server.js';
import { INVALID_ARGUMENTS as INVALID } from '../http/webadmin-errors.js';
import type { TaskManager } from '../tasks/task.js';
import type { CredentialsStore } from '../users/credentials-store.js';
import { DeleteUserDataTask, type UserDataDeletionStep } from './user-data-deletion-task.js';
import { TaskIdBody, withErrors } from './webadmin-schemas.js';

/** `POST /users/{username}?action=deleteData[&fromStep=][&force]` (spec webadmin.md 2.3), a James task (1.7). */
export function userDataDeletionRoutes(deps: { credentials: CredentialsStore; tasks: TaskManager; steps: UserDataDeletionStep[]; logger: Logger }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    app.post('/users/:username', {
      schema: {
        tags: ['Users'], summary: 'Delete the data of a user (task)', operationId: 'deleteUserData',
        params: Type.Object({ username: Type.String() }),
        querystring: Type.Object({ action: Type.Optional(Type.String()), fromStep: Type.Optional(Type.String()), force: Type.Optional(Type.String()) }),
        response: withErrors({ 201: TaskIdBody }, 400),
      },
    }, async (req, reply) => {
      const { action, fromStep, force } = req.query;
      if (action !== 'deleteData') {
        throw new BadRequestError(INVALID, { details: `Invalid value supplied for query parameter 'action': ${action ?? ''}. Supported values are [deleteData]` });
      }
      const checked = checkUsername(req.params.username, { requireDomain: true });
      if (!checked.ok) throw new BadRequestError(INVALID, { details: checked.reason });
      // `force` is a flag: present (with any value, even empty) skips the existence check.
      if (force === undefined && !(await deps.credentials.exists(checked.value))) {
        throw new BadRequestError(INVALID, { details: "'username' parameter should be an existing user" });
      }
      if (fromStep !== undefined && !deps.steps.some((s) => s.name === fromStep)) {
        throw new BadRequestError(INVALID, { details: `Starting step not found: ${fromStep}` });
      }
      const task = new DeleteUserDataTask(checked.value, deps.steps, fromStep, deps.logger);
      const taskId = await deps.tasks.submit(task);
      return reply.code(201).header('Location', `/tasks/${taskId}`).send({ taskId });
    });
  };
}
