import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { AuthPipeline } from '../../src/auth/auth-pipeline.js';

/** The authenticated user must reach every log line of its request (handler and "request completed"), and only its own. */
describe('AuthPipeline logging', () => {
  it('binds the user to the request logger, including the completion line, without leaking to the next request', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); cb(); } });
    const app = Fastify({ logger: { level: 'info', stream } });
    let who = 'alice@linagora.com';
    const pipeline = new AuthPipeline([{ name: 'test', authenticate: async () => (who ? { username: who, domain: 'linagora.com', isAdmin: false, via: 'oidc' } : undefined) }]);
    app.get('/who', { preHandler: pipeline.preHandler }, async (request) => {
      request.log.info('in handler');
      return { ok: true };
    });
    app.get('/open', async (request) => {
      request.log.info('open handler');
      return { ok: true };
    });
    try {
      assert.equal((await app.inject('/who')).statusCode, 200);
      who = 'bob@linagora.com';
      assert.equal((await app.inject('/who')).statusCode, 200);
      assert.equal((await app.inject('/open')).statusCode, 200);
    } finally {
      await app.close();
    }
    const byReq = (msg: string) => lines.filter((l) => l.msg === msg).map((l) => l.user);
    assert.deepEqual(byReq('in handler'), ['alice@linagora.com', 'bob@linagora.com']);
    assert.deepEqual(byReq('request completed'), ['alice@linagora.com', 'bob@linagora.com', undefined]);
    assert.deepEqual(byReq('open handler'), [undefined]);
  });
});
