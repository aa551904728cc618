import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { BadRequestError, ServerError } from '../core/errors.js';
import { checkUsername, domainOf } from '../core/names.js';
import type { App } from '../http/server.js';
import type { DomainStore } from '../storage/domain-store.js';
import type { CredentialsStore } from '../users/credentials-store.js';
import { withErrors } from './webadmin-schemas.js';

const UserParams = Type.Object({ username: Type.String() });

/** James `/users`: the credential store used by Basic auth (spec webadmin.md 2.2). */
export function usersRoutes(deps: { credentials: CredentialsStore; domains: DomainStore }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    const { credentials, domains } = deps;

    app.get('/users', {
      schema: {
        tags: ['Users'], summary: 'List users', operationId: 'listUsers',
        response: { 200: Type.Array(Type.Object({ username: Type.String() })) },
      },
    }, async () => (await credentials.list()).map((username) => ({ username })));

    app.put('/users/:username', {
      schema: {
        tags: ['Users'], summary: 'Create a user or change its password', operationId: 'upsertUser', params: UserParams,
        querystring: Type.Object({ force: Type.Optional(Type.String()) }),
        body: Type.Object({ password: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
        response: withErrors({ 204: Type.Null() }, 400, 500),
      },
    }, async (req, reply) => {
      const username = await validUsername(req.params.username, domains);
      if (credentials.readOnly) throw new ServerError(`Error while upserting user '${username}'`, { details: 'the users repository is read-only (LDAP)' });
      await credentials.upsert(username, req.body.password);
      return reply.code(204).send();
    });

    app.head('/users/:username', {
      schema: { tags: ['Users'], summary: 'User existence', operationId: 'userExists', params: UserParams },
    }, async (req, reply) => {
      const checked = checkUsername(req.params.username, { requireDomain: true });
      if (!checked.ok) return reply.code(400).send();
      return reply.code((await credentials.exists(checked.value)) ? 200 : 404).send();
    });

    app.delete('/users/:username', {
      schema: {
        tags: ['Users'], summary: 'Delete a user (idempotent)', operationId: 'deleteUser', params: UserParams,
        response: withErrors({ 204: Type.Null() }, 400),
      },
    }, async (req, reply) => {
      const checked = checkUsername(req.params.username, { requireDomain: true });
      if (!checked.ok) throw new BadRequestError('Username supplied is invalid', { details: checked.reason });
      if (!credentials.readOnly) await credentials.delete(checked.value);
      return reply.code(204).send();
    });
  };
}

async function validUsername(raw: string, domains: DomainStore): Promise<string> {
  const checked = checkUsername(raw, { requireDomain: true });
  if (!checked.ok) throw new BadRequestError('Username supplied is invalid', { details: checked.reason });
  if (!(await domains.retrieveByName(domainOf(checked.value)))) {
    throw new BadRequestError('Username supplied is invalid', { details: 'Domain does not exist in DomainList' });
  }
  return checked.value;
}
