import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sidecal } from '../../src/main.js';
import { basic, startWithUsers } from './openpaas-helpers.js';

const BOB = 'bob@linagora.com';
const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';

describe('POST /api/files (whole service, memory backends, 100-byte budget)', () => {
  let s: Sidecal;
  before(async () => {
    s = await startWithUsers([BOB, 'alice@linagora.com'], { UPLOAD_USER_TOTAL_LIMIT: '100' });
  });
  after(() => s.close());

  const upload = (query: string, payload: string | Buffer, user = BOB, contentType = 'text/calendar') =>
    s.rest.inject({ method: 'POST', url: `/api/files?${query}`, payload, headers: { authorization: basic(user), 'content-type': contentType } });

  it('stores a file and answers 201 with its id', async () => {
    const r = await upload(`name=agenda.ics&size=${ICS.length}&mimetype=text/calendar`, ICS);
    assert.equal(r.statusCode, 201, r.body);
    assert.match(r.headers['content-type'] as string, /^application\/json;\s?charset=utf-8$/i);
    assert.match(r.json()._id, /^[0-9a-f]{24}$/);
  });

  it('accepts text/vcard case-insensitively and any request content type', async () => {
    const r = await upload('name=c.vcf&size=20&mimetype=Text/VCard', 'BEGIN:VCARD', BOB, 'application/octet-stream');
    assert.equal(r.statusCode, 201, r.body);
  });

  it('refuses a body larger than the declared size', async () => {
    const r = await upload('name=a.ics&size=5&mimetype=text/calendar', '0123456789');
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.details, 'Real size is greater than declared size, expected: 5, got: 10');
  });

  it('refuses a declared size above the per-user budget', async () => {
    const r = await upload('name=a.ics&size=101&mimetype=text/calendar', 'x');
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.details, 'File size exceeds user total upload limit');
  });

  it('answers 400 with the reference messages for bad parameters', async () => {
    const cases: [string, string][] = [
      ['size=1&mimetype=text/calendar', 'Missing name param'],
      ['name=%20&size=1&mimetype=text/calendar', 'Missing name param'],
      ['name=a&size=abc&mimetype=text/calendar', 'Invalid size param: abc'],
      ['name=a&size=1&mimetype=image/png', 'Unknown uploaded MIME type: image/png'],
    ];
    for (const [q, message] of cases) {
      const r = await upload(q, 'x');
      assert.equal(r.statusCode, 400, q);
      assert.equal(r.json().error.details, message, q);
    }
  });

  it('needs authentication', async () => {
    const r = await s.rest.inject({ method: 'POST', url: '/api/files?name=a&size=1&mimetype=text/calendar', payload: 'x', headers: { 'content-type': 'text/calendar' } });
    assert.equal(r.statusCode, 401);
  });
});

describe('POST /api/files as multipart/form-data', () => {
  let s: Sidecal;
  before(async () => {
    s = await startWithUsers([BOB]);
  });
  after(() => s.close());

  it('stores the first file part and checks its size', async () => {
    const body = [
      '--XyZ', 'Content-Disposition: form-data; name="comment"', '', 'not the file',
      '--XyZ', 'Content-Disposition: form-data; name="file"; filename="agenda.ics"', 'Content-Type: text/calendar', '', ICS,
      '--XyZ--', '',
    ].join('\r\n');
    const headers = { authorization: basic(BOB), 'content-type': 'multipart/form-data; boundary=XyZ' };
    const ok = await s.rest.inject({ method: 'POST', url: `/api/files?name=agenda.ics&size=${ICS.length}&mimetype=text/calendar`, payload: body, headers });
    assert.equal(ok.statusCode, 201, ok.body);
    // the declared size is compared with the file part, not the whole body
    const tooSmall = await s.rest.inject({ method: 'POST', url: `/api/files?name=agenda.ics&size=${ICS.length - 1}&mimetype=text/calendar`, payload: body, headers });
    assert.equal(tooSmall.statusCode, 400);
    assert.equal(tooSmall.json().error.details, `Real size is greater than declared size, expected: ${ICS.length - 1}, got: ${ICS.length}`);
  });

  it('answers 400 without a file part', async () => {
    const body = ['--XyZ', 'Content-Disposition: form-data; name="comment"', '', 'x', '--XyZ--', ''].join('\r\n');
    const r = await s.rest.inject({ method: 'POST', url: '/api/files?name=a&size=10&mimetype=text/calendar', payload: body, headers: { authorization: basic(BOB), 'content-type': 'multipart/form-data; boundary=XyZ' } });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.details, 'No file part in the multipart body');
  });
});
