import { pipeline } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Histogram } from 'prom-client';
import type { Agent, Dispatcher } from 'undici';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import type { DavConfig } from '../config/config-types.js';
import { BadGatewayError, BadRequestError, GatewayTimeoutError, UnauthorizedError } from '../core/errors.js';
import { impersonationHeader } from '../dav/dav-auth.js';
import type { Metrics } from '../http/metrics.js';
import { createDavAgent, isTimeout } from '../dav/dav-client.js';
import { hrefRewrite, hrefRewriter, isXml } from './href-rewrite.js';
import { assertSafePath, davRequestHeaders, responseHeaders } from './proxy-headers.js';
import { corsPreflight, isCorsPreflight, requestBody } from './proxy-body.js';
import { exchange, type UpstreamReply } from './upstream-exchange.js';

export const DAV_PREFIX = '/dav';
export const DAV_PROXY_USER_AGENT = 'twake-calendar-dav-proxy/0.1';
/** Replies up to this size are read whole before being sent (see `relay` and `exchange`). */
const SMALL_BODY = 64 * 1024;
/** Users whose impersonation header is kept; all are forgotten at once beyond (a bound, not an LRU). */
const IMPERSONATIONS_KEPT = 10_000;

/**
 * `/dav/*` → esn-sabre (spec rest-api.md 5.2, dav-ldap-config.md 2), as the authenticated user (impersonation Basic).
 * Differs from the reference on purpose (README stance): bodies stream both ways, conditional headers are forwarded,
 * `Destination`, `Location` and XML `<href>`s are translated between the public `/dav` prefix and `dav.url`, a 401
 * carries a `WWW-Authenticate: Basic` challenge so DAV clients can log in. Upstream failures are 502, timeouts 504.
 */
export class DavProxy {
  private readonly agent: Agent;
  /** `dav.url` without trailing slash, e.g. `http://sabre:80` or `http://host/sabre`. */
  private readonly base: string;
  /** Its origin: requests name origin and path apart, so undici parses no URL per request. */
  private readonly origin: string;
  /** The path part of `dav.url` (`''` or `/sabre`), which upstream hrefs start with. */
  private readonly basePath: string;
  /** The reference's `davProxy` timer: whole proxied exchanges, by method and upstream status. */
  private readonly timer: Histogram<'method' | 'status_code'> | undefined;
  private readonly toPublic: (xml: string) => string;
  private readonly impersonations = new Map<string, string>();

  constructor(
    private readonly dav: DavConfig,
    private readonly auth: AuthPipeline,
    metrics?: Metrics,
  ) {
    this.agent = createDavAgent(dav);
    this.timer = metrics
      ? new Histogram({
          name: 'dav_proxy_duration_seconds',
          help: 'DAV proxy exchanges (request sent to esn-sabre until the reply is fully sent), by method and status',
          labelNames: ['method', 'status_code'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers: [metrics.registry],
        })
      : undefined;
    this.base = dav.url.replace(/\/+$/, '');
    const url = new URL(this.base);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.toPublic = hrefRewrite(`${this.basePath}/`, `${DAV_PREFIX}/`);
  }

  static handles(rawUrl: string): boolean {
    return rawUrl.startsWith(`${DAV_PREFIX}/`);
  }

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    // Browsers' preflights carry no credentials; answering them keeps the SPA able to call /dav cross-origin.
    if (isCorsPreflight(request)) return corsPreflight(reply);
    try {
      await this.auth.preHandler(request, reply);
    } catch (e) {
      if (e instanceof UnauthorizedError) return reply.code(401).header('www-authenticate', 'Basic realm="sidecal"').send();
      throw e;
    }
    const rest = request.raw.url!.slice(DAV_PREFIX.length);
    assertSafePath(rest);
    const headers = this.upstreamHeaders(request);
    const body = requestBody(request, headers, isXml(headers['content-type']) ? hrefRewriter(`${DAV_PREFIX}/`, `${this.basePath}/`) : undefined);
    request.log.debug({ method: request.method, uri: request.raw.url }, 'Proxying DAV request');
    if (this.timer) this.timeExchange(request, reply, this.timer);
    let upstream: UpstreamReply;
    try {
      // The raw path as the caller sent it, appended to dav.url's (spec: not decoded nor re-encoded).
      upstream = await exchange(this.agent, { origin: this.origin, path: this.basePath + rest, method: request.method as Dispatcher.HttpMethod, headers, body }, SMALL_BODY);
    } catch (e) {
      throw upstreamError(e, this.base);
    }
    return this.relay(request, reply, upstream);
  }

  private timeExchange(request: FastifyRequest, reply: FastifyReply, timer: Histogram<'method' | 'status_code'>): void {
    const start = performance.now();
    reply.raw.on('close', () => timer.observe({ method: request.method, status_code: reply.statusCode }, (performance.now() - start) / 1000));
  }

  private upstreamHeaders(request: FastifyRequest): Record<string, string> {
    const headers = davRequestHeaders(request.headers);
    const destination = request.headers.destination;
    if (destination !== undefined) headers.destination = this.upstreamDestination(destination);
    headers.authorization = this.impersonation(request.auth!.username);
    headers['user-agent'] = DAV_PROXY_USER_AGENT;
    return headers;
  }

  /** The impersonation header of a user, kept for the next requests of the same users (a base64 encoding each time). */
  private impersonation(username: string): string {
    let value = this.impersonations.get(username);
    if (value === undefined) {
      if (this.impersonations.size >= IMPERSONATIONS_KEPT) this.impersonations.clear();
      this.impersonations.set(username, (value = impersonationHeader(this.dav, username)));
    }
    return value;
  }

  /**
   * Status and headers, then the body. A small body (most DAV answers: one event, a short multistatus) came whole and
   * is sent as one buffer, its hrefs rewritten in one pass. A larger one streams as it arrives (XML through the
   * streaming href rewriter), so a big REPORT or GET never sits in memory.
   */
  private relay(request: FastifyRequest, reply: FastifyReply, upstream: UpstreamReply): FastifyReply {
    const rewriteBody = isXml(upstream.headers['content-type']);
    const out = responseHeaders(upstream.headers, rewriteBody ? 'content-length' : undefined);
    for (const name of ['location', 'content-location'] as const) {
      const v = out[name];
      if (typeof v === 'string') out[name] = this.publicLocation(v);
    }
    reply.code(upstream.statusCode).headers(out);
    const { body } = upstream;
    // (A HEAD, 204 or 304 reply always came as an empty buffer.)
    if (request.method === 'HEAD' || upstream.statusCode === 204 || upstream.statusCode === 304) return reply.send();
    if (Buffer.isBuffer(body)) return reply.send(rewriteBody ? Buffer.from(this.toPublic(body.toString('utf8')), 'utf8') : body);
    if (!rewriteBody) return reply.send(body);
    const rewritten = hrefRewriter(`${this.basePath}/`, `${DAV_PREFIX}/`);
    // pipeline, not pipe: an upstream failure mid-body must abort the reply, not leave it hanging.
    pipeline(body, rewritten, (err) => {
      if (err) request.log.warn({ err }, 'DAV upstream body failed');
    });
    return reply.send(rewritten);
  }

  /** `Destination: http://public/dav/u/c/x.ics` → `{dav.url}/u/c/x.ics`; must point inside `/dav/`. */
  private upstreamDestination(value: string | string[]): string {
    const raw = Array.isArray(value) ? (value[0] ?? '') : value;
    let path: string;
    try {
      const url = new URL(raw, 'http://placeholder');
      path = url.pathname + url.search;
    } catch {
      throw new BadRequestError('Invalid Destination header', { details: 'Destination is not a URL' });
    }
    if (!DavProxy.handles(path)) throw new BadRequestError('Invalid Destination header', { details: 'Destination must be under /dav/' });
    const rest = path.slice(DAV_PREFIX.length);
    assertSafePath(rest);
    return this.base + rest;
  }

  /** Upstream `Location` (absolute URL under dav.url, or a path under its base path) → the public `/dav/…` path. */
  private publicLocation(value: string): string {
    if (value.startsWith(`${this.base}/`)) return DAV_PREFIX + value.slice(this.base.length);
    if (value.startsWith('/') && value.startsWith(`${this.basePath}/`)) return DAV_PREFIX + value.slice(this.basePath.length);
    return value;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Connection errors → 502, timeouts → 504, with a body saying which side failed (never the credentials). */
export function upstreamError(e: unknown, target: string): Error {
  if (isTimeout(e)) return new GatewayTimeoutError('Upstream timeout', { details: `${target} did not answer in time`, cause: e });
  const code = (e as { code?: string }).code ?? 'connection failed';
  return new BadGatewayError('Upstream unreachable', { details: `${target} is unreachable (${code})`, cause: e });
}
