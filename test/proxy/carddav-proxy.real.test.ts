import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, createVCard, fetchAddressBooks, fetchVCards, getBasicAuthHeaders, type DAVAccount } from 'tsdav';
import { startSidecal, type Sidecal } from '../../src/main.js';
import { silentLogger, testConfig } from '../support/sidecal.js';
import { requireEnv, uniqueName } from '../support/real.js';

/**
 * CardDAV through `/dav` against a real server (Radicale): extended MKCOL, address-book listing and an
 * addressbook-multiget REPORT, whose request body names cards by `/dav/…` hrefs that the proxy must translate.
 */
describe('DAV proxy: CardDAV against a real server', () => {
  const caldav = requireEnv('CALDAV_URL');
  const email = `${uniqueName('carol').toLowerCase()}@linagora.com`;
  const proxied = getBasicAuthHeaders({ username: email, password: 'carol-pw' });
  const direct = getBasicAuthHeaders({ username: `admin&${email}`, password: 'secret' });
  let s: Sidecal;
  let viaProxy: DAVAccount;
  let viaDirect: DAVAccount;

  before(async () => {
    s = await startSidecal(testConfig({ DAV_URL: caldav, REST_API_PORT: '0', REST_API_HOST: '127.0.0.1', WEBADMIN_PORT: '0', WEBADMIN_HOST: '127.0.0.1' }), { logger: silentLogger });
    assert.equal((await s.webadmin!.inject({ method: 'PUT', url: `/users/${email}`, payload: { password: 'carol-pw' } })).statusCode, 204);
    viaProxy = await createAccount({ account: { serverUrl: `${s.restUrl}/dav/`, accountType: 'carddav' }, headers: proxied });
    viaDirect = await createAccount({ account: { serverUrl: caldav, accountType: 'carddav' }, headers: direct });
  });
  after(async () => s.close());

  const pathOf = (url: string) => new URL(url).pathname;

  test('MKCOL of an address book, listing, vCard PUT and multiget give what direct access gives', async () => {
    const bookUrl = new URL('friends/', viaProxy.homeUrl).href;
    const made = await fetch(bookUrl, {
      method: 'MKCOL',
      headers: { ...proxied, 'content-type': 'application/xml; charset=utf-8' },
      body: '<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>' +
        '<d:resourcetype><d:collection/><c:addressbook/></d:resourcetype><d:displayname>Friends</d:displayname></d:prop></d:set></d:mkcol>',
    });
    await made.text();
    assert.equal(made.status, 201);

    const mine = await fetchAddressBooks({ account: viaProxy, headers: proxied });
    const theirs = await fetchAddressBooks({ account: viaDirect, headers: direct });
    assert.deepEqual(mine.map((b) => [pathOf(b.url), b.displayName]), theirs.map((b) => [`/dav${pathOf(b.url)}`, b.displayName]));
    const book = mine.find((b) => b.displayName === 'Friends');
    assert.ok(book);

    const vcard = ['BEGIN:VCARD', 'VERSION:3.0', 'UID:dan-1', 'FN:Dan', 'EMAIL:dan@example.org', 'END:VCARD', ''].join('\r\n');
    assert.equal((await createVCard({ addressBook: book, filename: 'dan-1.vcf', vCardString: vcard, headers: proxied })).status, 201);

    const cards = await fetchVCards({ addressBook: book, headers: proxied, useMultiGet: true });
    const directBook = theirs.find((b) => b.displayName === 'Friends')!;
    const directCards = await fetchVCards({ addressBook: directBook, headers: direct, useMultiGet: true });
    assert.equal(cards.length, 1);
    assert.deepEqual(cards.map((c) => [pathOf(c.url), c.etag, c.data]), directCards.map((c) => [`/dav${pathOf(c.url)}`, c.etag, c.data]));
    assert.match(String(cards[0]!.data), /FN:Dan/);
  });
});
