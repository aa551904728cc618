import type { FastifyReply, FastifyRequest } from 'fastify';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import type { JwtService } from '../auth/jwt-service.js';
import { restNotFoundHandler } from '../http/rest-errors.js';
import { upstreamError } from './dav-proxy.js';
import { corsPreflight, isCorsPreflight, requestBody } from './proxy-body.js';
import { assertSafePath, responseHeaders } from './proxy-headers.js';

export interface LegacyProxyOptions {
  /** `openpaas.backend.url`; undefined = no legacy server: unmatched requests get the REST 404 body. */
  backendUrl: string | undefined;
  trustAllCertificates: boolean;
  responseTimeoutMs: number;
  auth: AuthPipeline;
  jwt: JwtService;
}

/**
 * Fallback for every request no local route and not the DAV proxy took (spec rest-api.md 5.1): same verb and URI on
 * the legacy OpenPaaS. Only `Content-Type: application/json` is sent (forced, as the reference does) and, when the
 * caller sent an Authorization header, a fresh legacy JWT for the authenticated user instead of it; cookies and other
 * headers stay here. Bodies stream both ways; connection errors are 502, timeouts 504.
 */
export class LegacyProxy {
  private readonly agent: Agent | undefined;
  private readonly base: string | undefined;

  constructor(private readonly options: LegacyProxyOptions) {
    this.base = options.backendUrl?.replace(/\/+$/, '');
    this.agent = this.base
      ? new Agent({
          headersTimeout: options.responseTimeoutMs,
          bodyTimeout: options.responseTimeoutMs,
          connect: options.trustAllCertificates ? { rejectUnauthorized: false } : {},
        })
      : undefined;
  }

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (!this.base || !this.agent) {
      // Without a legacy server the SPA's preflights still need an answer, or the browser never sends the request.
      if (isCorsPreflight(request)) return corsPreflight(reply);
      return restNotFoundHandler(request, reply);
    }
    const uri = request.raw.url!;
    assertSafePath(uri);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (request.headers['content-length'] !== undefined) headers['content-length'] = request.headers['content-length'];
    if (request.headers.authorization !== undefined) {
      await this.options.auth.preHandler(request, reply);
      const token = await this.options.jwt.sign({ sub: request.auth!.username, twake_calendar_auth_type: 'jwt' });
      headers.authorization = `Bearer ${token}`;
    }
    const body = requestBody(request, headers);
    request.log.warn({ method: request.method, uri }, 'Proxying request to the legacy OpenPaaS backend');
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await undiciRequest(this.base + uri, { method: request.method as Dispatcher.HttpMethod, headers, body, dispatcher: this.agent });
    } catch (e) {
      throw upstreamError(e, this.base);
    }
    reply.code(upstream.statusCode).headers(responseHeaders(upstream.headers));
    if (request.method === 'HEAD' || upstream.statusCode === 204 || upstream.statusCode === 304) {
      await upstream.body.dump();
      return reply.send();
    }
    return reply.send(upstream.body);
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }
}
