import { BadGatewayError, GatewayTimeoutError, type ErrorOptions } from '../core/errors.js';

/** The longest piece of an esn-sabre body kept in an error (the body may be a whole calendar). */
const BODY_EXCERPT = 2000;

/**
 * esn-sabre answered a status the call does not expect (spec dav-ldap-config.md 1.3). The message keeps the reference
 * wording `Unexpected status code: N` and the body, which callers inspect (e.g. "Could not find node at path").
 */
export class DavUnexpectedStatusError extends BadGatewayError {
  constructor(
    readonly davStatus: number,
    readonly davBody: string,
    readonly call: string,
    options: ErrorOptions = {},
  ) {
    super(`Unexpected status code: ${davStatus} when ${call}: ${davBody.slice(0, BODY_EXCERPT)}`, options);
  }
}

/** esn-sabre could not be reached (connection refused, TLS, reset). */
export class DavUnreachableError extends BadGatewayError {}

/** esn-sabre did not answer within `dav.rest.client.response.timeout`. */
export class DavTimeoutError extends GatewayTimeoutError {}

/** An optimistic-locking conflict (412 on If-Match): the caller re-reads and retries. */
export class DavPreconditionFailedError extends DavUnexpectedStatusError {}
