import { Type, type TSchema } from '@sinclair/typebox';

/** Shared schemas of the webadmin server (James shapes). */
export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    type: Type.Union([Type.Literal('InvalidArgument'), Type.Literal('notFound'), Type.Literal('WrongState'), Type.Literal('ServerError')]),
    message: Type.String(),
    details: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'WebadminError', description: 'James error body' },
);

export const TaskIdBody = Type.Object({ taskId: Type.String({ format: 'uuid' }) }, { description: 'Submitted task' });

/** Response schemas with the error statuses a route can answer. */
export function withErrors<T extends Record<number, TSchema>>(ok: T, ...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...ok };
  for (const s of statuses) out[s] = ErrorBody;
  return out;
}
