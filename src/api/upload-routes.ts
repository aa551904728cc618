import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthPipeline } from '../auth/auth-pipeline.js';
import { authOf } from '../auth/auth-types.js';
import { BadRequestError } from '../core/errors.js';
import type { App } from '../http/server.js';
import type { UploadService } from '../storage/upload-store-quota.js';
import { parseUploadMimeType } from '../storage/upload-store.js';
import { withRestErrors } from './openpaas-schemas.js';

// Loose on purpose: the reference's own messages for each bad parameter are produced below, not by Ajv.
const UploadQuery = Type.Object({
  name: Type.Optional(Type.String()),
  size: Type.Optional(Type.String()),
  mimetype: Type.Optional(Type.String()),
});

/** `POST /api/files?name=&size=&mimetype=` (rest-api.md 4.19): the raw body is the file. */
export function uploadRoutes(deps: { auth: AuthPipeline; uploads: UploadService; userTotalLimitBytes: number }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify as unknown as App;
    // Any content type is the file itself (ICS, vCard, octet-stream…), read as bytes in this scope only.
    app.removeAllContentTypeParsers();
    const limit = { parseAs: 'buffer' as const, bodyLimit: deps.userTotalLimitBytes + 64 * 1024 };
    app.addContentTypeParser('*', limit, (_req, body, done) => done(null, body));
    app.addContentTypeParser('multipart/form-data', limit, (req, body, done) => {
      try {
        done(null, firstFilePart(body as unknown as Buffer, req.headers['content-type'] ?? ''));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    app.addHook('preHandler', deps.auth.preHandler);
    app.post('/api/files', {
      bodyLimit: deps.userTotalLimitBytes + 64 * 1024,
      schema: {
        tags: ['Uploads'],
        summary: 'Upload an ICS or vCard file for a later import (expires after upload.expiration)',
        operationId: 'uploadFile',
        querystring: UploadQuery,
        response: withRestErrors({ 201: Type.Object({ _id: Type.String() }) }, 400, 401, 413),
      },
    }, async (request, reply) => {
      const { name, size, mimetype } = request.query;
      if (!name || name.trim() === '') throw new BadRequestError('Missing name param');
      if (size === undefined || !/^\d+$/.test(size.trim())) throw new BadRequestError(`Invalid size param: ${size ?? ''}`);
      const type = mimetype === undefined ? undefined : parseUploadMimeType(mimetype);
      if (!type) throw new BadRequestError(`Unknown uploaded MIME type: ${mimetype ?? ''}`);
      const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const id = await deps.uploads.upload(authOf(request).username, Number(size.trim()), { fileName: name, mimetype: type, data });
      return reply.code(201).type('application/json;charset=utf-8').send({ _id: id });
    });
  };
}

/** The bytes of the first file part of a `multipart/form-data` body (the SPA's form upload). */
export function firstFilePart(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new BadRequestError('Missing multipart boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const headersEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (headersEnd === -1 || next === -1) break;
    const headers = body.subarray(start, headersEnd).toString('latin1');
    // the part ends with CRLF before the next delimiter
    if (/filename=/i.test(headers)) return body.subarray(headersEnd + 4, next - 2);
    start = next;
  }
  throw new BadRequestError('No file part in the multipart body');
}
