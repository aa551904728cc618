import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { BadRequestError } from '../core/errors.js';
import type { App } from '../http/server.js';
import { avatarSvg } from '../settings/avatar.js';
import type { UserDirectory } from '../settings/user-directory.js';
import { badRequestWording, Empty, IdParams, restErrors } from './openpaas-schemas.js';

const AVATAR_CACHE = 'max-age=1800, public';

/**
 * Avatars (rest-api.md 4.4, 4.5), both public as in core: the SPAs load them with plain `<img>` tags, which carry no
 * bearer token. The image is an SVG letter avatar instead of the reference's PNG (browsers show either).
 */
export function avatarRoutes(deps: { directory: UserDirectory; selfUrl: string }): FastifyPluginAsync {
  const base = deps.selfUrl.replace(/\/+$/, '');
  return async (fastify) => {
    const app = fastify as unknown as App;

    app.get('/api/users/:id/profile/avatar', {
      schema: {
        tags: ['Avatars'],
        summary: "Redirect to the user's generated avatar",
        operationId: 'getProfileAvatar',
        params: IdParams,
        response: { 302: Empty, ...restErrors(400, 404) },
      },
    }, async (request, reply) => {
      const email = await deps.directory.emailOf(request.params.id);
      // The reference leaves the email unencoded; only characters that would break the query are escaped here.
      const location = `${base}/api/avatars?email=${encodeURIComponent(email).replace(/%40/g, '@')}`;
      return reply.code(302).header('Location', location).header('Cache-Control', AVATAR_CACHE).send();
    });

    app.get('/api/avatars', {
      schemaErrorFormatter: badRequestWording({ querystring: 'Request for avatar is missing email query parameter' }),
      schema: {
        tags: ['Avatars'],
        summary: 'A generated letter avatar (SVG, colour derived from the email); nothing is looked up',
        operationId: 'getAvatar',
        querystring: Type.Object({ email: Type.String() }),
        response: { 200: Type.String({ description: 'image/svg+xml' }), ...restErrors(400) },
      },
    }, async (request, reply) => {
      const email = request.query.email;
      if (email.trim() === '') throw new BadRequestError('Empty email ');
      return reply.type('image/svg+xml').header('Cache-Control', AVATAR_CACHE).send(avatarSvg(email));
    });
  };
}
