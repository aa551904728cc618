import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { BadRequestError, ConflictError, DomainNotFoundError, NotFoundError, UserConflictError, UserNotFoundError } from '../core/errors.js';
import { isObjectIdHex } from '../core/ids.js';
import { checkUsername } from '../core/names.js';
import type { App } from '../http/server.js';
import type { UserStore } from '../storage/user-store.js';
import { withErrors } from './webadmin-schemas.js';

const UserDto = Type.Object({ email: Type.String(), firstname: Type.String(), lastname: Type.String(), id: Type.String() });
const UserInput = Type.Object(
  {
    email: Type.Optional(Type.String()),
    firstname: Type.Optional(Type.String()),
    lastname: Type.Optional(Type.String()),
    id: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** OpenPaaS profiles, the users esn-sabre knows (spec webadmin.md 3.2, core messages). */
export function registeredUsersRoutes(deps: { users: UserStore }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    const { users } = deps;

    app.get('/registeredUsers', {
      exposeHeadRoute: false,
      schema: { tags: ['Registered users'], summary: 'List OpenPaaS users', operationId: 'listRegisteredUsers', response: { 200: Type.Array(UserDto) } },
    }, async () => (await users.list()).map((u) => ({ email: u.username, firstname: u.firstname, lastname: u.lastname, id: u.id })));

    app.post('/registeredUsers', {
      schema: {
        tags: ['Registered users'], summary: 'Create an OpenPaaS user', operationId: 'createRegisteredUser', body: UserInput,
        response: withErrors({ 201: Type.Literal('""') }, 400, 404, 409),
      },
    }, async (req, reply) => {
      const body = req.body ?? {};
      if (!body.email) throw new BadRequestError('Missing email');
      if (body.firstname === undefined) throw new BadRequestError('Missing firstname');
      if (body.lastname === undefined) throw new BadRequestError('Missing lastname');
      const email = validEmail(body.email);
      await mapStoreErrors(() => users.add(email, body.firstname, body.lastname));
      // Sic: the reference renders this empty success as the two characters "".
      return reply.code(201).serializer((x: unknown) => String(x)).send('""');
    });

    app.head('/registeredUsers', {
      schema: {
        tags: ['Registered users'], summary: 'OpenPaaS user existence by email or id', operationId: 'registeredUserExists',
        querystring: Type.Object({ email: Type.Optional(Type.String()), id: Type.Optional(Type.String()) }),
      },
    }, async (req, reply) => {
      const { email, id } = req.query;
      if ((email === undefined) === (id === undefined)) return reply.code(400).send();
      const found = email !== undefined ? await users.retrieveByUsername(email) : await users.retrieveById(id as string);
      return reply.code(found ? 200 : 404).send();
    });

    app.patch('/registeredUsers', {
      schema: {
        tags: ['Registered users'], summary: 'Replace an OpenPaaS user (all fields required)', operationId: 'updateRegisteredUser',
        querystring: Type.Object({ id: Type.Optional(Type.String()) }), body: UserInput,
        response: withErrors({ 204: Type.Null() }, 400, 404, 409),
      },
    }, async (req, reply) => {
      const id = req.query.id;
      if (!id) throw new BadRequestError("Missing 'id' query parameter");
      const body = req.body ?? {};
      if (!body.email || body.firstname === undefined || body.lastname === undefined) {
        throw new BadRequestError('Missing one or more required fields: email, firstname, lastname');
      }
      if (!isObjectIdHex(id)) throw new BadRequestError(`Invalid user id '${id}'`, { details: 'expected a 24-character hexadecimal id' });
      const email = validEmail(body.email);
      await mapStoreErrors(() => users.update(id, email, body.firstname as string, body.lastname as string), id);
      return reply.code(204).send();
    });
  };
}

function validEmail(raw: string): string {
  const checked = checkUsername(raw, { requireDomain: true });
  if (!checked.ok) throw new BadRequestError(`Invalid email '${raw}'`, { details: checked.reason });
  return checked.value;
}

async function mapStoreErrors<T>(op: () => Promise<T>, id?: string): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (e instanceof DomainNotFoundError) throw new NotFoundError(`${e.domain} does not exist`, { webadminType: 'InvalidArgument' });
    if (e instanceof UserConflictError) throw new ConflictError(`${e.user} already exists`, { webadminType: 'InvalidArgument' });
    if (e instanceof UserNotFoundError) throw new NotFoundError(`User with id ${id} not found`, { webadminType: 'InvalidArgument' });
    throw e;
  }
}
