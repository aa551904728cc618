import { Agent, errors as undiciErrors, request as undiciRequest, type Dispatcher } from 'undici';
import type { TechnicalTokenService } from '../auth/technical-token.js';
import type { DavConfig } from '../config/config-types.js';
import { authHeaders, type DavPrincipal } from './dav-auth.js';
import { DavTimeoutError, DavUnexpectedStatusError, DavUnreachableError } from './dav-errors.js';

export const DAV_CLIENT_USER_AGENT = 'twake-calendar-side-service/0.1';

export interface DavRequest {
  method: string;
  /** Path and query on esn-sabre, starting with `/`; appended as a string to `dav.url` (its path prefix is kept). */
  path: string;
  as: DavPrincipal;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Short description for error messages and logs ("exporting calendar /calendars/a/b"). */
  call: string;
}

export interface DavResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text(): string;
  /** The body as a JSON object; anything else (a proxy's HTML page, `null`) is DavUnexpectedStatusError, a 502. */
  json<T extends object>(): T;
}

/**
 * The pooled keep-alive HTTP client towards esn-sabre (spec dav-ldap-config.md 1.1): one per component, response
 * timeout `dav.rest.client.response.timeout` for headers and body, optional trust-all TLS, no generic retry.
 * Bodies are always read fully so connections return to the pool. Transport failures become DavUnreachableError /
 * DavTimeoutError; status interpretation is left to the callers (`expect`).
 */
export class DavClient {
  private readonly agent: Agent;
  private readonly base: string;

  constructor(
    private readonly dav: DavConfig,
    private readonly tokens: TechnicalTokenService,
  ) {
    this.agent = createDavAgent(dav);
    // String append (not `new URL(path, base)`), so a path prefix in dav.url survives.
    this.base = dav.url.replace(/\/+$/, '');
  }

  async send(req: DavRequest): Promise<DavResponse> {
    const headers = { 'user-agent': DAV_CLIENT_USER_AGENT, ...req.headers, ...(await authHeaders(this.dav, this.tokens, req.as)) };
    let res: Dispatcher.ResponseData;
    try {
      res = await undiciRequest(this.base + req.path, {
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: req.body,
        dispatcher: this.agent,
      });
    } catch (e) {
      throw translateTransportError(e, req.call);
    }
    let body: Buffer;
    try {
      body = Buffer.from(await res.body.arrayBuffer());
    } catch (e) {
      throw translateTransportError(e, req.call);
    }
    const text = () => body.toString('utf8');
    const json = <T extends object>(): T => {
      let value: unknown;
      try {
        value = JSON.parse(text());
      } catch {
        value = undefined;
      }
      if (typeof value !== 'object' || value === null) throw new DavUnexpectedStatusError(res.statusCode, `not a JSON object: ${text()}`, req.call);
      return value as T;
    };
    return { status: res.statusCode, headers: res.headers, body, text, json };
  }

  /** Sends and checks the status against the expected ones; anything else is DavUnexpectedStatusError. */
  async expect(req: DavRequest, expected: readonly number[]): Promise<DavResponse> {
    const res = await this.send(req);
    if (!expected.includes(res.status)) throw new DavUnexpectedStatusError(res.status, res.text(), req.call);
    return res;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** The undici agent for esn-sabre calls and for the DAV proxy (same timeouts and TLS policy). */
export function createDavAgent(dav: Pick<DavConfig, 'responseTimeoutMs' | 'trustAllCertificates'>): Agent {
  return new Agent({
    headersTimeout: dav.responseTimeoutMs,
    bodyTimeout: dav.responseTimeoutMs,
    keepAliveTimeout: 30_000,
    connect: dav.trustAllCertificates ? { rejectUnauthorized: false } : {},
  });
}

export function isTimeout(e: unknown): boolean {
  return e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError || e instanceof undiciErrors.ConnectTimeoutError;
}

function translateTransportError(e: unknown, call: string): Error {
  if (isTimeout(e)) return new DavTimeoutError(`esn-sabre did not answer in time when ${call}`, { cause: e });
  const code = (e as { code?: string }).code ?? (e as Error).message;
  return new DavUnreachableError(`esn-sabre unreachable when ${call}: ${code}`, { cause: e });
}
