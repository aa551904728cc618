import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { BadRequestError, ConflictError, NotFoundError } from '../core/errors.js';
import { checkDomain } from '../core/names.js';
import type { App } from '../http/server.js';
import type { DomainStore } from '../storage/domain-store.js';
import type { UserStore } from '../storage/user-store.js';
import { withErrors } from './webadmin-schemas.js';

const DomainParams = Type.Object({ domain: Type.String() });

/** James `/domains` over the OpenPaaS `domains` collection (spec webadmin.md 2.1). */
export function domainsRoutes(deps: { domains: DomainStore; users: UserStore }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    const { domains, users } = deps;

    app.get('/domains', {
      schema: { tags: ['Domains'], summary: 'List domains', operationId: 'listDomains', response: { 200: Type.Array(Type.String()) } },
    }, async () => (await domains.list()).map((d) => d.name));

    app.get('/domains/:domain', {
      schema: {
        tags: ['Domains'], summary: 'Domain existence (204/404)', operationId: 'getDomain', params: DomainParams,
        response: withErrors({ 204: Type.Null() }, 400, 404),
      },
    }, async (req, reply) => {
      const name = validDomain(req.params.domain);
      if (!(await domains.retrieveByName(name))) {
        throw new NotFoundError(`The domain list does not contain: ${name}`, { webadminType: 'InvalidArgument' });
      }
      return reply.code(204).send();
    });

    app.put('/domains/:domain', {
      schema: {
        tags: ['Domains'], summary: 'Create a domain (idempotent)', operationId: 'createDomain', params: DomainParams,
        response: withErrors({ 204: Type.Null() }, 400),
      },
    }, async (req, reply) => {
      const name = validDomain(req.params.domain);
      if (!(await domains.retrieveByName(name))) {
        try {
          await domains.add(name);
        } catch (e) {
          if (!(e instanceof ConflictError)) throw e;
        }
      }
      return reply.code(204).send();
    });

    app.delete('/domains/:domain', {
      schema: {
        tags: ['Domains'], summary: 'Delete a domain that has no users', operationId: 'deleteDomain', params: DomainParams,
        response: withErrors({ 204: Type.Null() }, 400, 409),
      },
    }, async (req, reply) => {
      const name = validDomain(req.params.domain);
      const domain = await domains.retrieveByName(name);
      if (domain) {
        // The reference answers 500 (not implemented). Deleting a domain that users still belong to would orphan
        // them for OpenPaaS and esn-sabre, so that case is refused; an empty domain is removed.
        if ((await users.listByDomain(domain.id)).length > 0) {
          throw new ConflictError(`Domain ${name} still has users`, { webadminType: 'WrongState', details: 'delete its users first' });
        }
        await domains.delete(name);
      }
      return reply.code(204).send();
    });
  };
}

function validDomain(raw: string): string {
  const checked = checkDomain(raw);
  if (!checked.ok) throw new BadRequestError(`Invalid request for domain creation ${raw}`, { details: checked.reason });
  return checked.value;
}
