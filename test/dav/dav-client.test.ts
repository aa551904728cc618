import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import { CalDavClient } from '../../src/dav/caldav-client.js';
import { impersonationHeader } from '../../src/dav/dav-auth.js';
import { DavClient } from '../../src/dav/dav-client.js';
import { DavTimeoutError, DavUnexpectedStatusError, DavUnreachableError } from '../../src/dav/dav-errors.js';
import { testConfig } from '../support/sidecal.js';

/** An HTTP server that records what it receives and answers by path: `/status/{n}`, `/hang`, anything else 200. */
async function recorder(): Promise<{ url: string; server: Server; seen: { url: string; headers: IncomingHttpHeaders }[] }> {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url!, headers: req.headers });
    req.resume();
    if (req.url!.includes('/hang')) return;
    const status = /\/status\/(\d+)/.exec(req.url!);
    res.statusCode = status ? Number(status[1]) : 200;
    res.end(status ? `Could not find node at path: calendars/x (${status[1]})` : 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

describe('DAV client', () => {
  let rec: Awaited<ReturnType<typeof recorder>>;
  let client: DavClient;
  const tokens = new TechnicalTokenService('technical-secret', 3600_000);

  before(async () => {
    rec = await recorder();
    // A path prefix in dav.url must be kept: paths are appended as strings.
    client = new DavClient(testConfig({ DAV_URL: `${rec.url}/sabre/`, DAV_REST_CLIENT_RESPONSE_TIMEOUT: '300ms' }).dav, tokens);
  });
  after(async () => {
    await client.close();
    rec.server.closeAllConnections();
    await new Promise((r) => rec.server.close(r));
  });

  test('impersonation: Basic {admin}&{email}:{password}, the reference example value', async () => {
    assert.equal(impersonationHeader({ adminUser: 'admin', adminPassword: 'secret123' }, 'alice@example.com'), 'Basic YWRtaW4mYWxpY2VAZXhhbXBsZS5jb206c2VjcmV0MTIz');
    await client.send({ method: 'GET', path: '/calendars/a/b?export', as: { kind: 'user', email: 'alice@linagora.com' }, call: 'test' });
    const last = rec.seen.at(-1)!;
    assert.equal(last.url, '/sabre/calendars/a/b?export');
    assert.equal(Buffer.from(last.headers.authorization!.slice(6), 'base64').toString(), 'admin&alice@linagora.com:secret');
    assert.match(last.headers['user-agent']!, /^twake-calendar-side-service\//);
  });

  test('technical token: raw JWT in TwakeCalendarToken for the domain, no Authorization', async () => {
    await client.send({ method: 'GET', path: '/addressbooks/d1/domain-members?export', as: { kind: 'technical', domainId: '65f1c0ffee0000000000d001' }, call: 'test' });
    const last = rec.seen.at(-1)!;
    assert.equal(last.headers.authorization, undefined);
    const token = last.headers.twakecalendartoken as string;
    assert.doesNotMatch(token, /^Bearer/);
    assert.deepEqual(await tokens.verify(token), { domainId: '65f1c0ffee0000000000d001' });
  });

  test('admin: plain Basic of the DAV admin', async () => {
    await client.send({ method: 'GET', path: '/x', as: { kind: 'admin' }, call: 'test' });
    assert.equal(Buffer.from(rec.seen.at(-1)!.headers.authorization!.slice(6), 'base64').toString(), 'admin:secret');
  });

  test('an unexpected status is a typed error keeping status and body', async () => {
    await assert.rejects(
      client.expect({ method: 'GET', path: '/status/404', as: { kind: 'admin' }, call: 'listing members' }, [200]),
      (e: unknown) => e instanceof DavUnexpectedStatusError && e.davStatus === 404 && /Could not find node at path/.test(e.davBody) && /^Unexpected status code: 404/.test(e.message),
    );
  });

  test('export: 200 gives the bytes, 501 gives nothing, other statuses fail', async () => {
    const caldav = new CalDavClient(client);
    assert.match((await caldav.export({ kind: 'user', email: 'a@linagora.com' }, 'h', 'c')).toString(), /BEGIN:VCALENDAR/);
    assert.equal(rec.seen.at(-1)!.headers.accept, 'application/xml');
    assert.equal((await caldav.export({ kind: 'user', email: 'a@linagora.com' }, 'status', '501')).length, 0);
    await assert.rejects(caldav.export({ kind: 'user', email: 'a@linagora.com' }, 'status', '500'), DavUnexpectedStatusError);
  });

  test('a 200 whose body is not a JSON object is a typed upstream error (502), not a crash (500)', async () => {
    const caldav = new CalDavClient(client);
    const notJson = (e: unknown) => e instanceof DavUnexpectedStatusError && e.status === 502 && e.davStatus === 200 && /not a JSON object: BEGIN:VCALENDAR/.test(e.davBody);
    // The recorder answers every path with an ICS body.
    await assert.rejects(caldav.listCalendars('a@linagora.com', 'h'), notJson);
    await assert.rejects(caldav.describe({ kind: 'user', email: 'a@linagora.com' }, 'h', 'c'), notJson);
    await assert.rejects(caldav.findByUid({ kind: 'user', email: 'a@linagora.com' }, 'h', 'uid-1'), notJson);
  });

  test('no answer within dav.rest.client.response.timeout → DavTimeoutError; nobody listening → DavUnreachableError', async () => {
    const t0 = Date.now();
    await assert.rejects(client.send({ method: 'GET', path: '/hang', as: { kind: 'admin' }, call: 'waiting' }), DavTimeoutError);
    assert.ok(Date.now() - t0 < 3000);
    const dead = new DavClient(testConfig({ DAV_URL: 'http://127.0.0.1:9/' }).dav, tokens);
    await assert.rejects(dead.send({ method: 'GET', path: '/x', as: { kind: 'admin' }, call: 'x' }), DavUnreachableError);
    await dead.close();
  });
});
