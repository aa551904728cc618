/**
 * One error hierarchy for the whole service. Services throw these; each HTTP server has one renderer that maps them to
 * its wire format (REST: OpenPaaS `{error:{code,message,details}}`, webadmin: James `{statusCode,type,message,details}`).
 */
export type ErrorKind =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'Timeout'
  | 'BadGateway'
  | 'GatewayTimeout'
  | 'ServiceUnavailable'
  | 'ServerError';

export interface ErrorOptions {
  details?: string | null;
  cause?: unknown;
  /** Overrides the webadmin `type` when the reference uses an odd one (e.g. a 404 typed `InvalidArgument`). */
  webadminType?: 'InvalidArgument' | 'notFound' | 'WrongState' | 'ServerError';
  /** Overrides the status when a spec quirk demands it (e.g. 404 for an unknown domain on POST /registeredUsers). */
  status?: number;
}

export abstract class SidecalError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly defaultStatus: number;
  readonly details: string | null;
  readonly webadminType: ErrorOptions['webadminType'];
  private readonly statusOverride: number | undefined;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? null;
    this.webadminType = options.webadminType;
    this.statusOverride = options.status;
  }

  get status(): number {
    return this.statusOverride ?? this.defaultStatus;
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, status: this.status, message: this.message, details: this.details };
  }
}

export class BadRequestError extends SidecalError {
  readonly kind = 'BadRequest';
  readonly defaultStatus = 400;
}
export class UnauthorizedError extends SidecalError {
  readonly kind = 'Unauthorized';
  readonly defaultStatus = 401;
}
export class ForbiddenError extends SidecalError {
  readonly kind = 'Forbidden';
  readonly defaultStatus = 403;
}
export class NotFoundError extends SidecalError {
  readonly kind = 'NotFound';
  readonly defaultStatus = 404;
}
export class ConflictError extends SidecalError {
  readonly kind = 'Conflict';
  readonly defaultStatus = 409;
}
export class PayloadTooLargeError extends SidecalError {
  readonly kind = 'PayloadTooLarge';
  readonly defaultStatus = 413;
}
export class UnsupportedMediaTypeError extends SidecalError {
  readonly kind = 'UnsupportedMediaType';
  readonly defaultStatus = 415;
}
export class TimeoutError extends SidecalError {
  readonly kind = 'Timeout';
  readonly defaultStatus = 408;
}
export class BadGatewayError extends SidecalError {
  readonly kind = 'BadGateway';
  readonly defaultStatus = 502;
}
export class GatewayTimeoutError extends SidecalError {
  readonly kind = 'GatewayTimeout';
  readonly defaultStatus = 504;
}
export class ServiceUnavailableError extends SidecalError {
  readonly kind = 'ServiceUnavailable';
  readonly defaultStatus = 503;
}
export class ServerError extends SidecalError {
  readonly kind = 'ServerError';
  readonly defaultStatus = 500;
}

/** Domain-level not-found errors carry their entity for callers that branch on it. */
export class DomainNotFoundError extends NotFoundError {
  constructor(readonly domain: string, options: ErrorOptions = {}) {
    super(`${domain} does not exist`, options);
  }
}
export class UserNotFoundError extends NotFoundError {
  constructor(readonly user: string, options: ErrorOptions = {}) {
    super(`User ${user} not found`, options);
  }
}
export class UserConflictError extends ConflictError {
  constructor(readonly user: string, options: ErrorOptions = {}) {
    super(`${user} already exists`, options);
  }
}
export class DomainAlreadyExistsError extends ConflictError {
  constructor(readonly domain: string, options: ErrorOptions = {}) {
    super(`${domain} already exists`, options);
  }
}

export function isSidecalError(e: unknown): e is SidecalError {
  return e instanceof SidecalError;
}
