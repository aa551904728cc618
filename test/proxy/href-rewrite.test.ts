import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import { hrefRewrite, hrefRewriter, isXml } from '../../src/proxy/href-rewrite.js';
import { assertSafePath } from '../../src/proxy/proxy-headers.js';

const rewrite = async (chunks: string[], from = '/', to = '/dav/') => text(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(hrefRewriter(from, to)));

test('href prefixes are rewritten whatever the namespace prefix, attributes or whitespace', async () => {
  const xml = '<d:multistatus xmlns:d="DAV:"><d:response><d:href>/cal/a.ics</d:href></d:response><href xmlns="DAV:">\n /cal/</href><D:href>http://x/y</D:href></d:multistatus>';
  assert.equal(
    await rewrite([xml]),
    '<d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/cal/a.ics</d:href></d:response><href xmlns="DAV:">\n /dav/cal/</href><D:href>http://x/y</D:href></d:multistatus>',
  );
});

test('a tag or a multi-byte character cut between chunks is still rewritten correctly', async () => {
  const xml = '<d:href>/café/ü.ics</d:href><d:href>/b</d:href>';
  const bytes = Buffer.from(xml);
  for (let cut = 1; cut < bytes.length; cut++) {
    const out = await text(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]).pipe(hrefRewriter('/', '/dav/')));
    assert.equal(out, '<d:href>/dav/café/ü.ics</d:href><d:href>/dav/b</d:href>', `cut at ${cut}`);
  }
});

test('only the leading base path is swapped; other text is untouched', async () => {
  assert.equal(await rewrite(['<href>/dav/x/</href><p>/dav/x/</p>'], '/dav/', '/sabre/'), '<href>/sabre/x/</href><p>/dav/x/</p>');
  assert.equal(await rewrite(['<hrefs>/a</hrefs>']), '<hrefs>/a</hrefs>');
});

test('a whole document is rewritten the same way, and a $ in the new prefix stays literal', () => {
  assert.equal(hrefRewrite('/', '/dav/')('<d:href>/a/</d:href><x>/a/</x><href a="1"> /b</href>'), '<d:href>/dav/a/</d:href><x>/a/</x><href a="1"> /dav/b</href>');
  assert.equal(hrefRewrite('/s/', "/p$&$1$$'/")('<href>/s/x</href>'), "<href>/p$&$1$$'/x</href>");
});

test('XML content types', () => {
  for (const ct of ['application/xml; charset=utf-8', 'text/xml', 'application/calendar+xml']) assert.ok(isXml(ct), ct);
  for (const ct of ['text/calendar', 'application/json', undefined]) assert.ok(!isXml(ct), String(ct));
});

test('path traversal and encoded separators are refused', () => {
  for (const p of ['/calendars/../x', '/%2e%2e/x', '/a/%2E%2e/b', '/a%2fb', '/a%5c..', '/./a', '/a/%00', '/%zz']) {
    assert.throws(() => assertSafePath(p), { name: 'BadRequestError' }, p);
  }
  for (const p of ['/calendars/u/c.json?x=1', '/a/b..c/', '/addressbooks/u/%40x/?a=../b']) assert.doesNotThrow(() => assertSafePath(p), p);
});
