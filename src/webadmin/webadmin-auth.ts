import { createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { jwtVerify, decodeProtectedHeader } from 'jose';
import type { WebadminConfig } from '../config/config-types.js';
import { readResource } from '../core/resources.js';

export type WebadminAuthenticator = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/** Public routes never need credentials (spec webadmin.md 1.2). */
export function isPublicRoute(method: string, url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (method === 'OPTIONS') return true;
  // The identity provider posts back-channel logouts without webadmin credentials (public in the later reference).
  if (method === 'POST' && path === '/add-revoked-token') return true;
  if ((method === 'GET' || method === 'HEAD') && (path === '/healthcheck' || path.startsWith('/healthcheck/') || path === '/metrics')) return true;
  return false;
}

/**
 * One filter chosen at start-up: JWT > password > none. Failures are plain text under `application/json` (a quirk
 * of the reference that monitoring scripts match on).
 */
export async function createWebadminAuthenticator(config: WebadminConfig, confDir: string): Promise<WebadminAuthenticator | undefined> {
  if (config.jwtEnabled) {
    const keys = await loadPemKeys(config.jwtPublicKeyUrl as string, confDir);
    return async (request, reply) => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) return deny(reply, 'No Bearer header.');
      const token = header.slice('Bearer '.length).trim();
      const payload = await verifyWithAny(token, keys);
      if (!payload) return deny(reply, 'Invalid token.');
      if (typeof payload.sub !== 'string' || payload.sub === '' || payload.admin !== true) return deny(reply, 'Non authorized user.');
      return undefined;
    };
  }
  if (config.passwords.length > 0) {
    const secrets = config.passwords.map((p) => Buffer.from(p));
    return async (request, reply) => {
      const given = request.headers.password;
      if (typeof given !== 'string' || given === '') return deny(reply, 'No Password header.');
      const g = Buffer.from(given);
      if (!secrets.some((s) => s.length === g.length && timingSafeEqual(s, g))) return deny(reply, 'Wrong Password header.');
      return undefined;
    };
  }
  return undefined;
}

function deny(reply: FastifyReply, text: string): FastifyReply {
  return reply.code(401).type('application/json').serializer((x: unknown) => String(x)).send(text);
}

async function loadPemKeys(ref: string, confDir: string): Promise<KeyObject[]> {
  const pem = await readResource(ref, confDir);
  const blocks = pem.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`webadmin jwt.publickeypem.url ${ref} holds no PEM key`);
  return blocks.map((b) => createPublicKey(b));
}

async function verifyWithAny(token: string, keys: KeyObject[]): Promise<Record<string, unknown> | undefined> {
  try {
    decodeProtectedHeader(token);
  } catch {
    return undefined;
  }
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256'] });
      return payload as Record<string, unknown>;
    } catch {
      // next key
    }
  }
  return undefined;
}
