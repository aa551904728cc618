import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';

const alice = `Basic ${Buffer.from('alice@linagora.com:alice-pw').toString('base64')}`;

/** A legacy OpenPaaS stand-in: echoes what it received, as JSON, with a custom header. */
async function echoServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(418, { 'content-type': 'application/json', 'x-legacy': 'yes', connection: 'keep-alive' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('DAV proxy and legacy fallback (fast layer)', () => {
  const sabre = new SabreEmulator('admin', 'secret');
  let legacy: { url: string; server: Server };
  let s: Sidecal;
  let bare: Sidecal;
  let hanging: Server;
  let slow: Sidecal;

  before(async () => {
    await sabre.start();
    sabre.addCalendar('home1', 'cal1', 'alice@linagora.com');
    legacy = await echoServer();
    s = await startForTest({ DAV_URL: `${sabre.url}/`, OPENPAAS_BACKEND_URL: legacy.url });
    await s.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'alice-pw' } });
    bare = await startForTest({ DAV_URL: 'http://127.0.0.1:9/' });
    await bare.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'alice-pw' } });
    hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    slow = await startForTest({ DAV_URL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, DAV_REST_CLIENT_RESPONSE_TIMEOUT: '200ms' });
    await slow.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'alice-pw' } });
  });
  after(async () => {
    await Promise.all([s.close(), bare.close(), slow.close()]);
    hanging.closeAllConnections();
    await new Promise((r) => hanging.close(r));
    legacy.server.closeAllConnections();
    await new Promise((r) => legacy.server.close(r));
    await sabre.stop();
  });

  test('/dav/* reaches esn-sabre impersonating the authenticated user; query kept, status and body copied', async () => {
    const res = await s.rest.inject({ method: 'GET', url: '/dav/calendars/home1/cal1.json?withRights=true', headers: { authorization: alice, cookie: 'a=b' } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json()._links, { self: { href: '/calendars/home1/cal1.json' } });
    const put = await s.rest.inject({ method: 'PUT', url: '/dav/calendars/home1/cal1/x.ics', headers: { authorization: alice, 'content-type': 'text/calendar' }, payload: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' });
    assert.equal(put.statusCode, 201);
    assert.ok(put.headers.etag);
    assert.equal(sabre.calendar('home1', 'cal1').objects.get('x.ics')!.writtenBy, 'alice@linagora.com');
    const metrics = (await s.webadmin!.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /dav_proxy_duration_seconds_count\{method="PUT",status_code="201"\} 1/);
  });

  test('no or wrong credentials on /dav: 401 with a Basic challenge; upstream 403 is passed through', async () => {
    const none = await s.rest.inject({ method: 'PROPFIND', url: '/dav/calendars/home1/' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.body, '');
    assert.match(none.headers['www-authenticate'] as string, /^Basic realm=/);
    const wrong = await s.rest.inject({ method: 'GET', url: '/dav/calendars/home1/cal1.json', headers: { authorization: `Basic ${Buffer.from('alice@linagora.com:nope').toString('base64')}` } });
    assert.equal(wrong.statusCode, 401);
    sabre.addCalendar('home2', 'cal2', 'bob@linagora.com');
    assert.equal((await s.rest.inject({ method: 'GET', url: '/dav/calendars/home2/cal2.json', headers: { authorization: alice } })).statusCode, 403);
  });

  test('path traversal is refused before anything is sent', async () => {
    // (inject resolves %2e%2e segments itself like a browser would; test/proxy/href-rewrite.test.ts covers them)
    for (const url of ['/dav/calendars/a%2F..%2Fb', '/dav/calendars/a%5C..%5Cb']) {
      const res = await s.rest.inject({ method: 'GET', url, headers: { authorization: alice } });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().error.code, 400);
    }
    const dest = await s.rest.inject({ method: 'MOVE', url: '/dav/calendars/home1/cal1/x.ics', headers: { authorization: alice, destination: 'http://h/elsewhere/x.ics' } });
    assert.equal(dest.statusCode, 400);
  });

  test('esn-sabre down → 502, silent → 504, each with a clear body', async () => {
    const down = await bare.rest.inject({ method: 'GET', url: '/dav/calendars/x.json', headers: { authorization: alice } });
    assert.equal(down.statusCode, 502);
    assert.equal(down.json().error.code, 502);
    assert.match(down.json().error.details, /unreachable/);
    const late = await slow.rest.inject({ method: 'GET', url: '/dav/calendars/x.json', headers: { authorization: alice } });
    assert.equal(late.statusCode, 504);
    assert.match(late.json().error.details, /did not answer in time/);
  });

  test('legacy proxy: same verb and URI, forced JSON content type, fresh JWT instead of the caller credentials, no cookies', async () => {
    const res = await s.rest.inject({
      method: 'POST', url: '/api/legacy/thing?x=1', headers: { authorization: alice, cookie: 'sid=1', 'content-type': 'application/json', accept: 'text/html' }, payload: { a: 1 },
    });
    assert.equal(res.statusCode, 418);
    assert.equal(res.headers['x-legacy'], 'yes');
    const seen = res.json();
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/api/legacy/thing?x=1');
    assert.equal(seen.body, '{"a":1}');
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.equal(seen.headers.cookie, undefined);
    assert.equal(seen.headers.accept, undefined);
    assert.match(seen.headers.authorization, /^Bearer eyJ/);
    assert.equal(decodeJwt(seen.headers.authorization.slice(7)).sub, 'alice@linagora.com');
    const anon = (await s.rest.inject({ method: 'DELETE', url: '/api/user' })).json();
    assert.equal(anon.method, 'DELETE');
    assert.equal(anon.headers.authorization, undefined, 'requests without Authorization go unauthenticated');
    const nullBody = (await s.rest.inject({ method: 'PUT', url: '/api/legacy/thing', headers: { 'content-type': 'application/json' }, payload: 'null' })).json();
    assert.deepEqual([nullBody.body, nullBody.headers['content-length']], ['null', '4'], 'a JSON null body is forwarded, not dropped');
    assert.equal((await s.rest.inject({ method: 'GET', url: '/dav' })).json().url, '/dav', '/dav alone is not the DAV proxy');
    assert.equal((await s.rest.inject({ method: 'GET', url: '/x', headers: { authorization: 'Basic bad' } })).statusCode, 400);
  });

  test('with a path prefix in dav.url: Destination, Location and XML hrefs are translated; conditional headers travel, credentials do not', async () => {
    const upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
        res.writeHead(207, {
          'content-type': 'application/xml; charset=utf-8',
          location: `${base}/sabre/calendars/u/new.ics`,
          'content-location': '/sabre/calendars/u/',
          'x-seen': JSON.stringify({ url: req.url, destination: req.headers.destination, ifMatch: req.headers['if-match'], cookie: req.headers.cookie ?? null,
            token: req.headers.twakecalendartoken ?? null, auth: Buffer.from((req.headers.authorization ?? '').slice(6), 'base64').toString(), body: Buffer.concat(chunks).toString() }),
        });
        res.end('<d:multistatus xmlns:d="DAV:"><d:response><d:href>/sabre/calendars/u/a.ics</d:href></d:response></d:multistatus>');
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    const prefixed = await startForTest({ DAV_URL: `http://127.0.0.1:${port}/sabre/` });
    try {
      await prefixed.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'alice-pw' } });
      const res = await prefixed.rest.inject({
        method: 'REPORT', url: '/dav/calendars/u/?x=1',
        headers: { authorization: alice, cookie: 'c=1', twakecalendartoken: 'forged', 'if-match': '"e1"', destination: 'https://public.example/dav/calendars/u/b.ics', 'content-type': 'application/xml', depth: '1' },
        payload: '<c:calendar-multiget xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:d="DAV:"><d:href>/dav/calendars/u/a.ics</d:href></c:calendar-multiget>',
      });
      assert.equal(res.statusCode, 207);
      assert.equal(res.headers.location, '/dav/calendars/u/new.ics');
      assert.equal(res.headers['content-location'], '/dav/calendars/u/');
      assert.equal(res.body, '<d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/calendars/u/a.ics</d:href></d:response></d:multistatus>');
      const seen = JSON.parse(res.headers['x-seen'] as string);
      assert.equal(seen.url, '/sabre/calendars/u/?x=1');
      assert.equal(seen.destination, `http://127.0.0.1:${port}/sabre/calendars/u/b.ics`);
      assert.equal(seen.ifMatch, '"e1"');
      assert.equal(seen.cookie, null);
      assert.equal(seen.token, null);
      assert.equal(seen.auth, 'admin&alice@linagora.com:secret');
      assert.match(seen.body, /<d:href>\/sabre\/calendars\/u\/a\.ics<\/d:href>/);
    } finally {
      await prefixed.close();
      upstream.closeAllConnections();
      await new Promise((r) => upstream.close(r));
    }
  });

  test('bodies above the small-body threshold stream: a 300 KB chunked multistatus is rewritten across chunk cuts, 1 MiB of ICS arrives intact', async () => {
    const responses = Array.from({ length: 3000 }, (_, i) => `<d:response><d:href>/calendars/u/c/${i}.ics</d:href></d:response>`).join('');
    const xml = `<d:multistatus xmlns:d="DAV:">${responses}</d:multistatus>`;
    const ics = `BEGIN:VCALENDAR\r\nX-PAD:${'x'.repeat(1024 * 1024)}\r\nEND:VCALENDAR\r\n`;
    const upstream = createServer((req, res) => {
      req.resume();
      if (req.url!.includes('xml')) {
        res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' });
        // Odd-sized writes so that hrefs are cut between chunks.
        for (let i = 0; i < xml.length; i += 997) res.write(xml.slice(i, i + 997));
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/calendar', 'content-length': Buffer.byteLength(ics) });
      res.end(ics);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const big = await startForTest({ DAV_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/` });
    try {
      await big.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'alice-pw' } });
      const multistatus = await big.rest.inject({ method: 'GET', url: '/dav/xml/', headers: { authorization: alice } });
      assert.equal(multistatus.statusCode, 207);
      assert.equal(multistatus.body, xml.replaceAll('<d:href>/calendars/', '<d:href>/dav/calendars/'));
      const event = await big.rest.inject({ method: 'GET', url: '/dav/cal.ics', headers: { authorization: alice } });
      assert.equal(event.statusCode, 200);
      assert.equal(event.body.length, ics.length);
      assert.equal(event.body, ics);
    } finally {
      await big.close();
      upstream.closeAllConnections();
      await new Promise((r) => upstream.close(r));
    }
  });

  test('esn-sabre dying mid-body: a small body becomes a 502, a streamed one aborts the reply (plain and rewritten bodies)', { timeout: 10_000 }, async () => {
    // /big/ paths send more than the small-body threshold (64 KiB) before dying, so the reply is already streaming.
    const dying = createServer((req, res) => {
      req.resume();
      const xml = req.url!.includes('xml');
      res.writeHead(xml ? 207 : 200, { 'content-type': xml ? 'application/xml' : 'text/calendar' });
      res.write(xml ? '<d:multistatus xmlns:d="DAV:"><d:href>/a' : 'BEGIN:VCALENDAR\r\n');
      if (req.url!.includes('big')) res.write(xml ? `<d:href>/a</d:href>`.repeat(5000) : 'X-FILLER:x\r\n'.repeat(7000));
      setTimeout(() => res.destroy(), 50);
    });
    await new Promise<void>((r) => dying.listen(0, '127.0.0.1', r));
    const broken = await startForTest({ DAV_URL: `http://127.0.0.1:${(dying.address() as AddressInfo).port}/` });
    try {
      await broken.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'alice-pw' } });
      for (const url of ['/dav/cal.ics', '/dav/xml/', '/dav/big/cal.ics', '/dav/big/xml/']) {
        const t0 = Date.now();
        const outcome = await broken.rest.inject({ method: 'GET', url, headers: { authorization: alice } }).then(
          (r) => ({ aborted: false, status: r.statusCode, body: r.body }),
          () => ({ aborted: true, status: 0, body: '' }),
        );
        assert.ok(Date.now() - t0 < 5000, `${url} hung`);
        // The caller must see a failure, never a reply that looks complete.
        if (url.includes('big')) assert.ok(outcome.aborted, `${url}: the streamed reply must be aborted, got ${outcome.status}`);
        else {
          assert.equal(outcome.status, 502, url);
          assert.match(JSON.parse(outcome.body).error.details, /unreachable/, url);
        }
      }
    } finally {
      await broken.close();
      dying.closeAllConnections();
      await new Promise((r) => dying.close(r));
    }
  });

  test('no legacy server: REST 404 body, and CORS preflights are answered', async () => {
    const res = await bare.rest.inject({ method: 'GET', url: '/api/unknown' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 404);
    for (const url of ['/api/unknown', '/dav/calendars/x.json']) {
      const pre = await bare.rest.inject({ method: 'OPTIONS', url, headers: { origin: 'https://spa.example', 'access-control-request-method': 'PROPFIND' } });
      assert.equal(pre.statusCode, 204, url);
      assert.equal(pre.headers['access-control-allow-origin'], '*');
    }
  });
});
