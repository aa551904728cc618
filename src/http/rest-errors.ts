import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { classify } from './errors-common.js';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  422: 'UnprocessableEntity',
  503: 'ServiceUnavailable',
};

/**
 * The OpenPaaS error body of the REST API (spec rest-api.md 1.3, format B):
 * `{"error":{"code":N,"type":T,"message":"<reason phrase>","details":"<message>"}}`; 500s never leak the cause.
 * A 401 has an empty body and no challenge (the SPAs expect exactly that); the DAV proxy adds its own challenge.
 */
export function restErrorBody(status: number, details: string | null): { error: { code: number; type: string; message: string; details: string | null } } {
  return {
    error: {
      code: status,
      type: TYPE_BY_STATUS[status] ?? (status >= 500 ? 'ServerError' : 'BadRequest'),
      message: STATUS_CODES[status] ?? 'Error',
      details: status >= 500 && status !== 502 && status !== 503 && status !== 504 ? 'Something went wrong.' : details,
    },
  };
}

export function restErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const c = classify(error);
  if (c.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ status: c.status, reason: c.message }, 'request rejected');
  if (c.status === 401) return reply.code(401).send();
  return reply
    .code(c.status)
    .type('application/json; charset=utf-8')
    .send(restErrorBody(c.status, c.details ?? c.message));
}

export function restNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .type('application/json; charset=utf-8')
    .send(restErrorBody(404, `${request.method} ${request.url} can not be found`));
}
