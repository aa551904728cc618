import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import { CalDavClient } from '../../src/dav/caldav-client.js';
import { PartStatUpdater } from '../../src/calendar/partstat-updater.js';
import { systemClock } from '../../src/core/clock.js';
import { DomainMembersClient } from '../../src/dav/carddav-client.js';
import { DavClient } from '../../src/dav/dav-client.js';
import { DavUnexpectedStatusError } from '../../src/dav/dav-errors.js';
import { DavUserDataDeletion } from '../../src/dav/user-data-deletion.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';
import { testConfig } from '../support/sidecal.js';

const DOMAIN = '65f1c0ffee0000000000d001';
const card = (uid: string, fn: string) => ['BEGIN:VCARD', 'VERSION:4.0', `UID:${uid}`, `FN:${fn}`, 'END:VCARD', ''].join('\r\n');

describe('esn-sabre calls C5 (resource moderation), C8 (domain members), C9 (list calendars), C10 (user data deletion), C11 (create calendar)', () => {
  const tokens = new TechnicalTokenService('shared-technical-secret', 3600_000);
  const sabre = new SabreEmulator('admin', 'secret', tokens);
  let dav: DavClient;
  let members: DomainMembersClient;
  let caldav: CalDavClient;

  before(async () => {
    await sabre.start();
    dav = new DavClient(testConfig({ DAV_URL: sabre.url }).dav, tokens);
    members = new DomainMembersClient(dav, 10);
    caldav = new CalDavClient(dav);
  });
  after(async () => {
    await dav.close();
    await sabre.stop();
  });

  test('C8: listing a domain without its book creates the book and lists it empty', async () => {
    assert.equal(await members.list(DOMAIN), '');
    assert.ok(sabre.books.has(`${DOMAIN}/domain-members`));
    await members.createBook(DOMAIN); // "already exists" is fine
  });

  test('C8: upsert creates then updates, as the technical user; delete is idempotent on absent cards', async () => {
    assert.equal(await members.upsert(DOMAIN, 'u1', card('u1', 'Ann')), 'created');
    assert.equal(await members.upsert(DOMAIN, 'u1', card('u1', 'Ann B')), 'updated');
    assert.equal(sabre.contacts.get(`addressbooks/${DOMAIN}/domain-members/u1.vcf`)!.writtenBy, `technical:${DOMAIN}`);
    assert.match(await members.list(DOMAIN), /FN:Ann B/);
    await members.delete(DOMAIN, 'u1');
    await members.delete(DOMAIN, 'u1');
    assert.equal(await members.list(DOMAIN), '');
  });

  test('C8: upsert into a domain without a book creates it first; delete in a missing book is an error', async () => {
    const other = '65f1c0ffee0000000000d002';
    assert.equal(await members.upsert(other, 'u2', card('u2', 'Ben')), 'created');
    assert.ok(sabre.books.has(`${other}/domain-members`));
    await assert.rejects(members.delete('65f1c0ffee0000000000d003', 'u3'), (e: unknown) => e instanceof DavUnexpectedStatusError && e.davStatus === 404);
  });

  test('C11 + C9: calendars created for a user are listed as (home, calendar), with calendars shared to them', async () => {
    const home = '6650a1b2c3d4e5f601234567';
    await caldav.createCalendar('alice@linagora.com', home, { id: 'work', name: 'Work', color: '#FD8208' });
    sabre.addCalendar(home, home, 'alice@linagora.com');
    sabre.addCalendar(home, 'private', 'someone@linagora.com');
    const listed = await caldav.listCalendars('alice@linagora.com', home);
    assert.deepEqual(listed.map((c) => `${c.homeId}/${c.calendarId}`).sort(), [`${home}/${home}`, `${home}/work`]);
  });

  test('C9 with sources: a subscription names its source, a delegation its delegator\'s calendar; a bad source is a 502', async () => {
    const home = '6650a1b2c3d4e5f60123cccc';
    const email = 'sam@linagora.com';
    sabre.addCalendar(home, home, email);
    sabre.addSubscription(home, 'sub', email, { homeId: 'carolhome', calendarId: 'public' });
    sabre.addDelegation(home, 'deleg', email, { homeId: 'bobhome', calendarId: 'bobhome' });
    const byId = new Map((await caldav.listCalendarEntries(email, home)).map((e) => [e.calendarId, e]));
    assert.deepEqual(byId.get(home), { homeId: home, calendarId: home, subscriptionSource: undefined, delegationSource: undefined });
    assert.deepEqual(byId.get('sub')!.subscriptionSource, { homeId: 'carolhome', calendarId: 'public' });
    assert.deepEqual(byId.get('deleg')!.delegationSource, { homeId: 'bobhome', calendarId: 'bobhome' });
    // Absolute hrefs are read by their path.
    sabre.calendar(home, 'sub').source = 'https://sabre.example.com/calendars/carolhome/other.json';
    assert.deepEqual((await caldav.listCalendarEntries(email, home)).find((e) => e.calendarId === 'sub')!.subscriptionSource, { homeId: 'carolhome', calendarId: 'other' });
    sabre.calendar(home, 'sub').source = '/addressbooks/carolhome/public.json';
    await assert.rejects(caldav.listCalendarEntries(email, home), (e: unknown) => e instanceof DavUnexpectedStatusError && e.status === 502 && /unexpected calendar source/.test(e.message));
    // The plain listing (reindexing, alarms) does not read sources: one bad source does not stop it.
    assert.equal((await caldav.listCalendars(email, home)).length, 3);
  });

  test('C10: the default calendar is emptied, other calendars and user books deleted, system books emptied', async () => {
    const home = '6650a1b2c3d4e5f60123aaaa';
    const email = 'dora@linagora.com';
    sabre.addCalendar(home, home, email);
    sabre.putObject(home, home, 'a.ics', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    sabre.putObject(home, home, 'odd id.ics', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    sabre.addCalendar(home, 'extra', email);
    sabre.addCalendar('6650a1b2c3d4e5f60123bbbb', 'theirs', 'eve@linagora.com');
    for (const b of ['contacts', 'collected', 'friends']) sabre.books.add(`${home}/${b}`);
    sabre.contacts.set(`addressbooks/${home}/contacts/c1.vcf`, { vcard: card('c1', 'Carl'), writtenBy: email });
    sabre.contacts.set(`addressbooks/${home}/friends/f1.vcf`, { vcard: card('f1', 'Fay'), writtenBy: email });
    const deletion = new DavUserDataDeletion(dav, caldav);
    await deletion.deleteCalendars(email, home);
    await deletion.deleteContacts(email, home);
    assert.equal(sabre.calendar(home, home).objects.size, 0);
    assert.equal(sabre.calendars.has(`${home}/extra`), false);
    assert.equal(sabre.calendars.has('6650a1b2c3d4e5f60123bbbb/theirs'), true);
    assert.deepEqual([...sabre.books].filter((b) => b.startsWith(home)).sort(), [`${home}/collected`, `${home}/contacts`]);
    assert.equal([...sabre.contacts.keys()].filter((k) => k.includes(home)).length, 0);
  });

  test('C5: a resource accepts with the technical token of its domain, in its own calendar', async () => {
    const resource = '65f1c0ffee0000000000e001';
    sabre.addCalendar(resource, resource, `technical:${DOMAIN}`);
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:r1', 'DTSTART:20250101T100000Z',
      `ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:${resource}@linagora.com`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    sabre.putObject(resource, resource, 'ev-1.ics', ics);
    await new PartStatUpdater(caldav, systemClock).updateResource({ id: DOMAIN, name: 'linagora.com' }, resource, 'ev-1', 'ACCEPTED');
    const stored = sabre.calendar(resource, resource).objects.get('ev-1.ics')!;
    assert.equal(stored.writtenBy, `technical:${DOMAIN}`);
    assert.match(stored.ics, /ATTENDEE;PARTSTAT=ACCEPTED:mailto:65f1c0ffee0000000000e001@linagora\.com/);
    assert.match(stored.ics, /SEQUENCE:1\r\n/);
  });
});
