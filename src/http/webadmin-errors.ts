import type { FastifyReply, FastifyRequest } from 'fastify';
import { classify } from './errors-common.js';

export type WebadminErrorType = 'InvalidArgument' | 'notFound' | 'WrongState' | 'ServerError';

export interface WebadminErrorBody {
  statusCode: number;
  type: WebadminErrorType;
  message: string;
  details: string | null;
}

export const INVALID_ARGUMENTS = 'Invalid arguments supplied in the user request';
export const INVALID_JSON = 'JSON payload of the request is not valid';

/** James's error body (spec webadmin.md 1.5), built here and nowhere else. */
export function webadminErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const c = classify(error);
  let body: WebadminErrorBody;
  if (c.sidecal) {
    body = {
      statusCode: c.status,
      type: c.sidecal.webadminType ?? defaultType(c.status),
      message: c.sidecal.message,
      details: c.sidecal.details,
    };
  } else if (c.clientError) {
    // Errors without a validation context are the body parser's (bad JSON...), except a URL that does not decode.
    const json = c.validationContext === 'body' || (c.validationContext === undefined && c.code !== 'FST_ERR_BAD_URL');
    body = { statusCode: c.status, type: 'InvalidArgument', message: json && c.status === 400 ? INVALID_JSON : INVALID_ARGUMENTS, details: c.details };
    if (c.status !== 400) body.message = c.message;
  } else {
    body = { statusCode: 500, type: 'ServerError', message: 'WebAdmin encountered an unexpected internal error', details: null };
  }
  if (body.statusCode >= 500) request.log.error({ err: error }, 'webadmin request failed');
  return reply.code(body.statusCode).type('application/json').send(body);
}

function defaultType(status: number): WebadminErrorType {
  if (status === 404) return 'notFound';
  if (status === 409) return 'WrongState';
  if (status >= 500) return 'ServerError';
  return 'InvalidArgument';
}

export function webadminNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body: WebadminErrorBody = { statusCode: 404, type: 'notFound', message: `${request.method} ${request.url} can not be found`, details: null };
  return reply.code(404).type('application/json').send(body);
}
