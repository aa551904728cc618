import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { AuthPipeline } from '../../src/auth/auth-pipeline.js';
import { createServer } from '../../src/http/server.js';

test('access log: one "request completed" line per request with method, path without query, status, time, request id and user', async () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); cb(); } });
  const app = createServer({ logger: pino({ level: 'info' }, stream) });
  const pipeline = new AuthPipeline([{ name: 'test', authenticate: async () => ({ username: 'alice@linagora.com', domain: 'linagora.com', isAdmin: false, via: 'oidc' }) }]);
  app.get('/api/calendars/:id/calendar.ics', { preHandler: pipeline.preHandler }, async () => 'BEGIN:VCALENDAR');
  try {
    const res = await app.inject({ url: '/api/calendars/abc/calendar.ics?token=s3cr3t-token', headers: { 'x-request-id': 'req-42' } });
    assert.equal(res.statusCode, 200);
    assert.equal((await app.inject({ url: '/nowhere?jwt=eyJhbGc' })).statusCode, 404);
  } finally {
    await app.close();
  }
  const http = lines.filter((l) => l.reqId !== undefined);
  assert.deepEqual(http.map((l) => l.msg), ['request completed', 'request completed'], 'no separate "incoming request" line');
  assert.deepEqual(
    http.map((l) => [l.reqId === 'req-42', l.method, l.url, l.statusCode, l.user]),
    [[true, 'GET', '/api/calendars/abc/calendar.ics', 200, 'alice@linagora.com'], [false, 'GET', '/nowhere', 404, undefined]],
  );
  assert.ok(http.every((l) => typeof l.responseTime === 'number'));
  assert.ok(!JSON.stringify(lines).includes('s3cr3t') && !JSON.stringify(lines).includes('eyJhbGc'), 'query strings (tokens) never logged');
});
