import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';

describe('resource icons (whole service)', () => {
  let s: Sidecal;
  before(async () => {
    s = await startForTest();
  });
  after(() => s.close());

  for (const url of ['/linagora.esn.resource/images/icon/laptop.svg', '/images/icon/laptop.svg']) {
    it(`GET ${url} serves the SVG with cache headers, public`, async () => {
      const r = await s.rest.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 200);
      assert.match(r.headers['content-type'] as string, /^image\/svg\+xml/);
      assert.equal(r.headers['cache-control'], 'public, max-age=604800');
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.match(r.headers.etag as string, /^"[0-9a-f-]{36}-laptop"$/);
      assert.match(r.body, /^<svg /);
    });
  }

  it('answers 304 to a matching If-None-Match or *', async () => {
    const first = await s.rest.inject({ method: 'GET', url: '/images/icon/projector.svg' });
    const etag = first.headers.etag as string;
    for (const inm of [etag, `"other", ${etag}`, '*']) {
      const r = await s.rest.inject({ method: 'GET', url: '/images/icon/projector.svg', headers: { 'if-none-match': inm } });
      assert.equal(r.statusCode, 304, inm);
      assert.equal(r.body, '');
    }
    const stale = await s.rest.inject({ method: 'GET', url: '/images/icon/projector.svg', headers: { 'if-none-match': '"stale"' } });
    assert.equal(stale.statusCode, 200);
  });

  it('serves every icon the spec names', async () => {
    for (const name of ['car', 'calendar-month', 'description', 'layers', 'meeting-room', 'people-alt', 'phone-iphone', 'tv', 'video-camera-back', 'view-comfy-alt']) {
      assert.equal((await s.rest.inject({ method: 'GET', url: `/images/icon/${name}.svg` })).statusCode, 200, name);
    }
  });

  it('answers 404 for an unknown icon', async () => {
    const r = await s.rest.inject({ method: 'GET', url: '/images/icon/unicorn.svg' });
    assert.equal(r.statusCode, 404);
  });

  it('never leaves the icon folder', async () => {
    for (const url of ['/images/icon/..%2F..%2Fpackage.json.svg', '/images/icon/..%2fREADME.md', '/linagora.esn.resource/images/icon/%2e%2e%2f%2e%2e%2fLICENSE.svg', '/images/icon/laptop.png']) {
      const r = await s.rest.inject({ method: 'GET', url });
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${url}: ${r.statusCode}`);
      assert.doesNotMatch(r.body, /"name"|<svg/);
    }
  });
});
