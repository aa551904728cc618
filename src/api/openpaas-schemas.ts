import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifySchemaValidationError } from 'fastify';
import { BadRequestError } from '../core/errors.js';

type SchemaErrorDataVar = 'body' | 'headers' | 'params' | 'querystring';

/** The OpenPaaS error body (rest-api.md 1.3), as `restErrorBody` renders it. */
export const RestError = Type.Object({
  error: Type.Object({ code: Type.Integer(), type: Type.String(), message: Type.String(), details: Type.Union([Type.String(), Type.Null()]) }),
});

export const CalendarParams = Type.Object({ calendarHomeId: Type.String({ minLength: 1 }), calendarId: Type.String({ minLength: 1 }) });

/** Response schemas of the OpenPaaS user, domain and settings routes (rest-api.md 4.1-4.10). */
const Epoch = Type.String({ description: 'always 1970-01-01T00:00:00.000Z (field OpenPaaS has, sidecal does not track)' });

const userFields = {
  _id: Type.String({ description: 'OpenPaaS user id (24 hex)' }),
  preferredEmail: Type.String(),
  objectType: Type.Literal('user'),
  firstname: Type.String(),
  lastname: Type.String(),
  emails: Type.Array(Type.String()),
  main_phone: Type.String(),
  followings: Type.Integer(),
  following: Type.Boolean(),
  followers: Type.Integer(),
  state: Type.Array(Type.Unknown()),
  domains: Type.Array(Type.Object({ domain_id: Type.String(), joined_at: Epoch })),
};

export const UserSchema = Type.Object({ ...userFields, timezone: Type.String({ description: "user's core.datetime.timeZone, else default.timezone" }) });

export const ConfigEntrySchema = Type.Object({ name: Type.String({ minLength: 1 }), value: Type.Unknown({ description: 'any JSON; null allowed, absent not' }) });
export const ConfigModuleSchema = Type.Object({ name: Type.String({ minLength: 1 }), configurations: Type.Array(ConfigEntrySchema) });
export const ConfigModulesSchema = Type.Array(ConfigModuleSchema);

const { _id, ...otherUserFields } = userFields;

export const CurrentUserSchema = Type.Object({
  _id,
  id: Type.String(),
  ...otherUserFields,
  isPlatformAdmin: Type.Boolean(),
  login: Type.Object({ success: Epoch, failures: Type.Array(Type.Unknown()) }),
  accounts: Type.Array(
    Type.Object({
      hosted: Type.Boolean(),
      preferredEmailIndex: Type.Integer(),
      type: Type.Literal('email'),
      emails: Type.Array(Type.String()),
      timestamps: Type.Object({ creation: Epoch }),
    }),
  ),
  configurations: Type.Object({ modules: ConfigModulesSchema }),
});

export const DomainSchema = Type.Object({
  _id: Type.String(),
  name: Type.String(),
  company_name: Type.String(),
  hostnames: Type.Array(Type.String()),
  schemaVersion: Type.Integer(),
  timestamps: Type.Object({ creation: Epoch }),
  administrators: Type.Array(Type.Object({ user_id: Type.String(), timestamps: Type.Object({ creation: Epoch }) })),
  injections: Type.Array(Type.Unknown()),
  __v: Type.Integer(),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const Empty = Type.Unknown({ description: 'empty body' });

/**
 * Response schemas of the error statuses a route answers through the server's renderer: a 401 has an empty body, every
 * other status the OpenPaaS error body. A route with its own error handler that sends 401 bodies adds `401: RestError`.
 */
export function restErrors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, s === 401 ? Empty : RestError]));
}

/** `ok` plus `restErrors(...statuses)`, keeping the success schemas' types for the handler's reply. */
export function withRestErrors<T extends Record<number, TSchema>>(ok: T, ...statuses: number[]): T & Record<number, TSchema> {
  return { ...ok, ...restErrors(...statuses) } as T & Record<number, TSchema>;
}

/**
 * A route's `schemaErrorFormatter` that answers the reference's exact 400 wording for the failing part of the request
 * (e.g. `"Invalid request body"`), while the TypeBox schema still does the validating.
 */
export function badRequestWording(messages: Partial<Record<'body' | 'querystring' | 'params', string>>) {
  return (errors: FastifySchemaValidationError[], dataVar: SchemaErrorDataVar): Error => {
    const wording = messages[dataVar as keyof typeof messages];
    const first = errors[0];
    const detail = first ? `${dataVar}${first.instancePath} ${first.message ?? 'is invalid'}` : `${dataVar} is invalid`;
    return new BadRequestError(wording ?? detail);
  };
}
