import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { UnauthorizedError } from '../core/errors.js';
import type { AuthStrategy } from './auth-types.js';

/**
 * Tries the strategies in order (Basic → legacy JWT → OIDC → lemon cookie); the first that yields a user wins, one
 * that applies and fails aborts with 401, none applying is a 401. Used as a Fastify `preHandler` on authenticated routes.
 */
export class AuthPipeline {
  constructor(private readonly strategies: AuthStrategy[]) {}

  add(strategy: AuthStrategy): void {
    this.strategies.push(strategy);
  }

  readonly preHandler = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    for (const strategy of this.strategies) {
      const user = await strategy.authenticate(request);
      if (user) {
        request.auth = user;
        // request.log is already this request's own child logger: adding the binding to it (rather than making a
        // child of the child) is cheaper per request and also reaches reply.log, so "request completed" names the user.
        (request.log as unknown as Logger).setBindings({ user: user.username });
        return;
      }
    }
    throw new UnauthorizedError('No valid authentication methods provided');
  };
}
