import type { FastifyReply, FastifyRequest } from 'fastify';
import { DavProxy } from './dav-proxy.js';
import type { LegacyProxy } from './legacy-proxy.js';

/**
 * The REST server's answer to requests no local route matched (spec rest-api.md 1.1): a raw URI under `/dav/` goes to
 * the DAV proxy, anything else (including `/dav` itself) to the legacy fallback proxy.
 */
export function proxyDispatch(dav: DavProxy, legacy: LegacyProxy) {
  return (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    DavProxy.handles(request.raw.url ?? '') ? dav.handle(request, reply) : legacy.handle(request, reply);
}
