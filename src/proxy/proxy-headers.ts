import type { IncomingHttpHeaders } from 'node:http';
import { BadRequestError } from '../core/errors.js';

/** Connection-scoped headers (RFC 9110 7.6.1) never travel across a proxy, in either direction. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Request headers the DAV proxy forwards. Unlike the reference, the conditional headers travel too, so If-Match /
 * If-None-Match keep their meaning through `/dav` (README stance). The caller's Authorization, cookies and
 * TwakeCalendarToken never do: the proxy authenticates upstream itself.
 */
const DAV_FORWARDED = [
  'accept',
  'accept-language',
  'content-type',
  'content-length',
  'depth',
  'overwrite',
  'if',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-schedule-tag-match',
  'prefer',
  'brief',
  'x-http-method-override',
] as const;

export function davRequestHeaders(incoming: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of DAV_FORWARDED) {
    const v = incoming[name];
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[name] = first;
  }
  return out;
}

/**
 * Upstream response headers minus hop-by-hop ones (and `drop`, e.g. a length we change). undici gives the names in
 * lower case already.
 */
export function responseHeaders(
  upstream: Record<string, string | string[] | undefined>,
  drop?: string,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || HOP_BY_HOP.has(name) || name === drop) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Rejects paths that could climb out of the proxied tree once a server decodes them: `.`/`..` segments, raw or
 * percent-encoded, encoded slashes and backslashes, NUL.
 */
export function assertSafePath(rawPath: string): void {
  const q = rawPath.indexOf('?');
  const path = q < 0 ? rawPath : rawPath.slice(0, q);
  // Most paths have no escape, no backslash or NUL and no segment starting with a dot: nothing to decode or split.
  if (!path.includes('%') && !path.includes('\\') && !path.includes('\0') && !path.includes('/.') && path[0] !== '.') return;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new BadRequestError('Invalid path encoding', { details: 'the request path is not valid percent-encoding' });
  }
  if (/%2f|%5c/i.test(path) || decoded.includes('\\') || decoded.includes('\0')) {
    throw new BadRequestError('Invalid path', { details: 'encoded slashes, backslashes and NUL are not allowed in proxied paths' });
  }
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new BadRequestError('Invalid path', { details: 'dot segments are not allowed in proxied paths' });
  }
}
