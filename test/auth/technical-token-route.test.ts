import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { authRoutes } from '../../src/api/auth-routes.js';
import { buildRestServer } from '../../src/api/rest-server.js';
import { AuthPipeline } from '../../src/auth/auth-pipeline.js';
import { JwtService } from '../../src/auth/jwt-service.js';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import { FakeClock } from '../../src/core/clock.js';
import type { App } from '../../src/http/server.js';
import { Metrics } from '../../src/http/metrics.js';
import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { silentLogger } from '../support/sidecal.js';

const SECRET = 'technical-secret-shared-by-all-nodes';

describe('GET /api/technicalToken/introspect (rest-api.md 4.22)', () => {
  const clock = new FakeClock('2025-09-05T08:00:00Z');
  const domains = new MemoryDomainStore(clock);
  const tokens = new TechnicalTokenService(SECRET, 3_600_000, clock);
  let app: App;
  let domainId: string;
  const introspect = (token?: string) =>
    app.inject({ method: 'GET', url: '/api/technicalToken/introspect', headers: token === undefined ? {} : { 'x-technical-token': token } });

  before(async () => {
    domainId = (await domains.add('linagora.com')).id;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwt = JwtService.fromKeys(privateKey, [publicKey], 3_600_000, clock);
    app = await buildRestServer({
      logger: silentLogger,
      metrics: new Metrics({ defaultMetrics: false }),
      bodyLimit: 1_000_000,
      routes: [authRoutes({ auth: new AuthPipeline([]), jwt, technicalTokens: tokens, domains })],
    });
  });
  after(async () => app.close());

  it('describes the technical user of a valid token, with the domain name esn-sabre needs', async () => {
    const res = await introspect(await tokens.generate(domainId));
    assert.equal(res.statusCode, 200);
    const body = res.json<Record<string, unknown>>();
    assert.match(String(body._id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual({ ...body, _id: 'x' }, {
      _id: 'x', name: 'Sabre Dav', description: 'Allows to authenticate on Sabre DAV', type: 'dav', user_type: 'technical',
      schemaVersion: 1, __v: 0, domainId, domain: 'linagora.com', data: { principal: 'principals/technicalUser' },
    });
  });

  const notFound = { error: { code: 404, type: 'NotFound', message: 'Not Found', details: 'Token not found or expired' } };

  it('answers 404 without the header, for garbage, another secret, an expired token or a non-technical token', async () => {
    const otherSecret = await new TechnicalTokenService('another-secret', 3_600_000, clock).generate(domainId);
    const expired = await tokens.generate(domainId);
    const notTechnical = await new SignJWT({ domainId }).setProtectedHeader({ alg: 'HS256' }).setIssuer('Twake-calendar-side-service')
      .setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    clock.advance(3_601_000);
    for (const token of [undefined, '', 'garbage', otherSecret, expired, notTechnical]) {
      const res = await introspect(token);
      assert.equal(res.statusCode, 404, String(token));
      assert.deepEqual(res.json(), notFound);
    }
  });

  it('answers 404 for a valid token of a deleted domain', async () => {
    const gone = await domains.add('gone.org');
    const token = await tokens.generate(gone.id);
    await domains.delete('gone.org');
    assert.equal((await introspect(token)).statusCode, 404);
  });
});
