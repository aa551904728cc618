import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildRestServer } from '../../src/api/rest-server.js';
import { importRoutes } from '../../src/api/import-routes.js';
import { AuthPipeline } from '../../src/auth/auth-pipeline.js';
import { BasicStrategy } from '../../src/auth/basic-strategy.js';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import { ImportService, type ImportResult, type UploadedFileReader } from '../../src/calendar/import-service.js';
import { CalDavClient } from '../../src/dav/caldav-client.js';
import { DavClient } from '../../src/dav/dav-client.js';
import type { App } from '../../src/http/server.js';
import { Metrics } from '../../src/http/metrics.js';
import { MemoryCredentialsStore } from '../../src/users/credentials-store.memory.js';
import { silentLogger, testConfig } from '../support/sidecal.js';
import { SabreEmulator } from './sabre-emulator.js';

const HOME = '6650a1b2c3d4e5f601234567';
const ICS = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Other//EN',
  'BEGIN:VTIMEZONE', 'TZID:Asia/Saigon', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0700', 'TZOFFSETTO:+0700', 'END:STANDARD', 'END:VTIMEZONE',
  'BEGIN:VEVENT', 'UID:7b1e0c2a-uid', 'DTSTAMP:20250501T000000Z', 'DTSTART;TZID=Asia/Saigon:20250514T130000', 'DTEND;TZID=Asia/Saigon:20250514T133000',
  'SUMMARY:Daily sync', 'RRULE:FREQ=DAILY;COUNT=3', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:7b1e0c2a-uid', 'RECURRENCE-ID:20250515T060000Z', 'DTSTAMP:20250501T000000Z', 'DTSTART;TZID=Asia/Saigon:20250515T120000',
  'DTEND;TZID=Asia/Saigon:20250515T123000', 'SUMMARY:Daily sync (moved)', 'SEQUENCE:1', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:odd uid/with slash', 'DTSTAMP:20250501T000000Z', 'DTSTART:20250601T100000Z', 'DTEND:20250601T110000Z', 'SUMMARY:Odd', 'END:VEVENT',
  'BEGIN:VTODO', 'UID:todo-1', 'SUMMARY:dropped', 'END:VTODO',
  'END:VCALENDAR', '',
].join('\r\n');
const VCF = ['BEGIN:VCARD', 'VERSION:3.0', 'UID:same', 'FN:Ann', 'EMAIL:ann@x.org', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:3.0', 'UID:same', 'FN:Ben', 'END:VCARD', ''].join('\r\n');

describe('import (esn-sabre emulator)', () => {
  const sabre = new SabreEmulator('admin', 'secret');
  const files = new Map<string, { owner: string; mimetype: string; data: Buffer }>();
  // The uploads capability's store answers this port; here a map of what the user "uploaded".
  const uploads: UploadedFileReader = {
    get: async (username, id) => {
      const f = files.get(id);
      return f && f.owner === username ? f : undefined;
    },
  };
  const results: ImportResult[] = [];
  let dav: DavClient;
  let imports: ImportService;
  let app: App;
  const alice = `Basic ${Buffer.from('alice@linagora.com:pw').toString('base64')}`;

  before(async () => {
    await sabre.start();
    sabre.addCalendar(HOME, HOME, 'alice@linagora.com');
    sabre.books.add(`${HOME}/contacts`);
    const config = testConfig({ DAV_URL: sabre.url });
    dav = new DavClient(config.dav, new TechnicalTokenService('s', 3600_000));
    imports = new ImportService(uploads, new CalDavClient(dav), async (_u, r) => void results.push(r), silentLogger);
    const credentials = new MemoryCredentialsStore();
    await credentials.upsert('alice@linagora.com', 'pw');
    const auth = new AuthPipeline([new BasicStrategy({ admin: config.admin, credentials, usersEnabled: true })]);
    app = await buildRestServer({ logger: silentLogger, metrics: new Metrics(), bodyLimit: 1 << 20, routes: [importRoutes({ auth, imports })] });
    files.set('f-ics', { owner: 'alice@linagora.com', mimetype: 'text/calendar', data: Buffer.from(ICS) });
    files.set('f-vcf', { owner: 'alice@linagora.com', mimetype: 'text/vcard', data: Buffer.from(VCF) });
  });
  after(async () => {
    await app.close();
    await dav.close();
    await sabre.stop();
  });

  test('ICS: one ?import PUT per UID, overrides with their master, VTODO dropped, odd UIDs percent-encoded', async () => {
    const { done } = await imports.start('alice@linagora.com', 'f-ics', `/calendars/${HOME}/${HOME}.json`);
    await done;
    const objects = sabre.calendar(HOME, HOME).objects;
    assert.deepEqual([...objects.keys()].sort(), ['7b1e0c2a-uid.ics', 'odd uid/with slash.ics']);
    const daily = objects.get('7b1e0c2a-uid.ics')!;
    assert.equal(daily.writtenBy, 'alice@linagora.com');
    assert.equal(daily.ics.match(/BEGIN:VEVENT/g)?.length, 2);
    assert.match(daily.ics, /RECURRENCE-ID:20250515T060000Z/);
    assert.match(daily.ics, /BEGIN:VTIMEZONE\r\nTZID:Asia\/Saigon/);
    assert.doesNotMatch(daily.ics, /VTODO/);
    assert.doesNotMatch(objects.get('odd uid/with slash.ics')!.ics, /VTIMEZONE/);
    assert.deepEqual(results.at(-1), { kind: 'calendar', target: `/calendars/${HOME}/${HOME}.json`, succeedCount: 2, failed: [] });
  });

  test('ICS into a calendar the user may not write: every group is reported failed', async () => {
    sabre.addCalendar(HOME, 'team', 'bob@linagora.com', ['alice@linagora.com']);
    await (await imports.start('alice@linagora.com', 'f-ics', `/calendars/${HOME}/team.json`)).done;
    const r = results.at(-1)!;
    assert.equal(r.succeedCount, 0);
    assert.deepEqual(r.failed.map((f) => ('uid' in f ? f.uid : '')).sort(), ['7b1e0c2a-uid', 'odd uid/with slash']);
    assert.deepEqual(r.failed.find((f) => 'uid' in f && f.uid === '7b1e0c2a-uid'), { uid: '7b1e0c2a-uid', summary: 'Daily sync', start: '2025-05-14T13:00:00', end: '2025-05-14T13:30:00' });
  });

  test('vCard: each card gets a fresh UID and its own PUT', async () => {
    await (await imports.start('alice@linagora.com', 'f-vcf', `/addressbooks/${HOME}/contacts.json`)).done;
    const cards = [...sabre.contacts.entries()].filter(([k]) => k.startsWith(`addressbooks/${HOME}/contacts/`));
    assert.equal(cards.length, 2);
    for (const [path, { vcard }] of cards) {
      const uid = /UID:(.+)\r\n/.exec(vcard)![1]!;
      assert.notEqual(uid, 'same');
      assert.equal(path, `addressbooks/${HOME}/contacts/${uid}.vcf`);
      assert.match(vcard, /VERSION:3.0/);
    }
    assert.equal(results.at(-1)!.succeedCount, 2);
  });

  test('close waits for the imports under way', async () => {
    sabre.addCalendar(HOME, 'closing', 'alice@linagora.com');
    await imports.start('alice@linagora.com', 'f-ics', `/calendars/${HOME}/closing.json`);
    await imports.close();
    assert.equal(sabre.calendar(HOME, 'closing').objects.size, 2);
  });

  test('route: 202 on both paths; 400 for missing fields, short targets and unknown files; 401 without credentials', async () => {
    const post = (url: string, payload: unknown, auth = alice) => app.inject({ method: 'POST', url, headers: { authorization: auth }, payload: payload as object });
    const ok = await post('/linagora.esn.dav.import/api/import', { fileId: 'f-ics', target: `/calendars/${HOME}/${HOME}.json` });
    assert.equal(ok.statusCode, 202);
    assert.equal(ok.body, '');
    assert.equal((await post('/api/import', { fileId: 'f-ics', target: `/calendars/${HOME}/${HOME}.json` })).statusCode, 202);
    for (const [payload, details] of [
      [{ target: '/calendars/a/b.json' }, 'fileId must be present'],
      [{ fileId: 'f-ics' }, 'target must be present'],
      [{ fileId: 'f-ics', target: '/calendars/a' }, 'Invalid target path'],
      [{ fileId: 'nope', target: '/calendars/a/b.json' }, 'Uploaded file not found'],
    ] as const) {
      const res = await post('/api/import', payload);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.details, details);
    }
    assert.equal((await app.inject({ method: 'POST', url: '/api/import', payload: { fileId: 'f-ics', target: '/calendars/a/b.json' } })).statusCode, 401);
  });
});
