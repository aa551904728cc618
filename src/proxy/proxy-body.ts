import { pipeline, type Readable, type Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REST_CORS_HEADERS } from '../api/rest-server.js';

/**
 * The body to send upstream. Fastify parses JSON and text bodies even for unmatched routes, so those are sent again
 * from the parsed value (with a recomputed length); any other content type was left unread and streams from the socket.
 * A transform (href rewriting) changes the length, so it is then dropped and the body goes chunked.
 */
export function requestBody(
  request: FastifyRequest,
  headers: Record<string, string>,
  transform?: Transform,
): Buffer | Readable | undefined {
  // A JSON `null` body is a parsed value like any other (its bytes were read from the socket too).
  if (request.body !== undefined) {
    const text = typeof request.body === 'string' || Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body);
    const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
    headers['content-length'] = String(bytes.length);
    return bytes;
  }
  const hasBody = request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody || request.headers['content-length'] === '0') {
    delete headers['content-length'];
    return undefined;
  }
  if (!transform) return request.raw;
  delete headers['content-length'];
  // pipeline, not pipe: a caller that disconnects mid-body aborts the upstream request too.
  pipeline(request.raw, transform, () => undefined);
  return transform;
}

export function isCorsPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined && request.headers.authorization === undefined;
}

export function corsPreflight(reply: FastifyReply): FastifyReply {
  return reply
    .code(204)
    .headers({ ...REST_CORS_HEADERS, 'Access-Control-Allow-Headers': 'Content-Type, Authorization, Accept, Depth, Destination, If-Match, If-None-Match, Overwrite, Prefer' })
    .send();
}
