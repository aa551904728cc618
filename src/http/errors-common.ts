import type { FastifyError } from 'fastify';
import { isSidecalError, type SidecalError } from '../core/errors.js';

/** What every renderer needs to know about a failure, whatever threw it. */
export interface ClassifiedError {
  status: number;
  /** The caller's fault (validation, parsing, limits), with a message worth showing. */
  clientError: boolean;
  message: string;
  details: string | null;
  /** Which part of the request failed validation, when it did. */
  validationContext?: 'body' | 'querystring' | 'params' | 'headers';
  /** Fastify's error code for its own client errors (`FST_ERR_BAD_URL`...). */
  code?: string;
  sidecal?: SidecalError;
}

export function classify(error: unknown): ClassifiedError {
  if (isSidecalError(error)) {
    return { status: error.status, clientError: error.status < 500, message: error.message, details: error.details, sidecal: error };
  }
  const fe = error as FastifyError & { validationContext?: ClassifiedError['validationContext'] };
  if (fe && Array.isArray(fe.validation)) {
    return { status: 400, clientError: true, message: fe.message, details: fe.message, validationContext: fe.validationContext };
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: bad JSON, unsupported content type, body too large, bad URL…
    return { status: fe.statusCode, clientError: true, message: fe.message, details: fe.message, ...(fe.code ? { code: fe.code } : {}) };
  }
  return { status: 500, clientError: false, message: 'internal error', details: null };
}
