import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildRestServer } from '../../src/api/rest-server.js';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import { FakeClock } from '../../src/core/clock.js';
import { CalDavClient } from '../../src/dav/caldav-client.js';
import { DavClient } from '../../src/dav/dav-client.js';
import { MemoryMessageBus } from '../../src/events/message-bus.memory.js';
import { Metrics } from '../../src/http/metrics.js';
import type { App } from '../../src/http/server.js';
import { SmtpMailer } from '../../src/mail/mailer.smtp.js';
import type { RecipientSettings } from '../../src/mail/recipient-settings.js';
import { wireResourceModeration } from '../../src/mail/resource-moderation-consumer.js';
import { TemplateRenderer } from '../../src/mail/template-renderer.js';
import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { MemoryResourceStore } from '../../src/storage/resource-store.memory.js';
import { MemoryUserStore } from '../../src/storage/user-store.memory.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';
import { startSmtpSink, type SmtpSink } from '../harness/smtp.js';
import { testConfig } from '../support/sidecal.js';
import { testJwt } from './fixtures.js';
import { bookingIcs, moderationLinks } from './resource-fixtures.js';

const logger = pino({ level: 'silent' });

describe('resource moderation (memory bus, esn-sabre emulator, SMTP sink)', () => {
  const clock = new FakeClock(new Date('2025-09-01T00:00:00Z'));
  const tokens = new TechnicalTokenService('technical-secret', 3_600_000);
  const sabre = new SabreEmulator('admin', 'secret', tokens);
  const domains = new MemoryDomainStore(clock);
  const users = new MemoryUserStore(domains, clock);
  const resources = new MemoryResourceStore(clock);
  const jwt = testJwt();
  const language: Record<string, string> = { 'bob@linagora.com': 'fr' };
  const settings: RecipientSettings = {
    lookup: async (email) => ({ internal: true, fullName: '', language: language[email] ?? 'en', timezone: 'Europe/Paris' }),
  };
  let sink: SmtpSink;
  let bus: MemoryMessageBus;
  let dav: DavClient;
  let app: App;
  let domainId = '';
  const ids: Record<string, string> = {};

  async function newResource(admins: string[], name = 'Projector'): Promise<string> {
    const id = await resources.insert({ creator: ids.anne!, domainId, name, description: '', administrators: admins.map((a) => ({ id: ids[a]!, objectType: 'user' })) });
    sabre.addCalendar(id, id, `technical:${domainId}`);
    return id;
  }
  const resourcePartStat = (id: string, file: string) => /ATTENDEE;PARTSTAT=([\w-]+);CUTYPE=RESOURCE/.exec(sabre.calendar(id, id).objects.get(file)!.ics)?.[1];
  async function created(id: string, file = 'sabredav-7f3a.ics', organizer = 'anne@linagora.com') {
    sabre.putObject(id, id, file, bookingIcs(id, organizer));
    // esn-sabre's payload: eventId is the object's file name on `created` (events-mail.md trap 13).
    await bus.publish('resource:calendar:event:created', { resourceId: id, eventId: file, eventPath: `/calendars/${id}/${id}/${file}`, ics: bookingIcs(id, organizer) });
    await bus.idle();
  }
  async function answered(action: 'accepted' | 'declined', id: string, organizer = 'anne@linagora.com') {
    const ics = bookingIcs(id, organizer).replace('PARTSTAT=NEEDS-ACTION', `PARTSTAT=${action.toUpperCase()}`);
    // …and the UID on `accepted`/`declined`.
    await bus.publish(`resource:calendar:event:${action}`, { resourceId: id, eventId: 'booking-1', eventPath: `/calendars/${id}/${id}/sabredav-7f3a.ics`, ics, etag: '"e1"' });
    await bus.idle();
  }

  before(async () => {
    await sabre.start();
    sink = await startSmtpSink();
    domainId = (await domains.add('linagora.com')).id;
    for (const name of ['anne', 'bob', 'carol', 'dave']) ids[name] = (await users.add(`${name}@linagora.com`, name, 'L')).id;
    bus = new MemoryMessageBus({ logger, maxRetries: 1 });
    dav = new DavClient(testConfig({ DAV_URL: sabre.url }).dav, tokens);
    const mailer = new SmtpMailer({ host: sink.host, port: sink.port, helo: 'sidecal.test', username: undefined, password: undefined, ssl: false, starttls: false, trustAllCerts: false }, logger, { backoffMs: 10 });
    const routes = await wireResourceModeration({
      bus, resources, users, domains, caldav: new CalDavClient(dav), clock, jwt, mailer,
      // dave administers resources but is not whitelisted
      whitelist: ['anne@linagora.com', 'bob@linagora.com', 'carol@linagora.com'],
      mail: { renderer: new TemplateRenderer('templates'), settings, sender: 'no-reply@linagora.com', selfUrl: 'https://side.example.com/' },
      spaCalendarUrl: 'https://calendar.example.com/',
    });
    app = await buildRestServer({ logger, metrics: new Metrics({ defaultMetrics: false }), bodyLimit: 1_000_000, routes: [routes] });
  });
  after(async () => {
    await app.close();
    await bus.close();
    await dav.close();
    await sink.close();
    await sabre.stop();
  });
  beforeEach(() => sink.clear());

  it('created, organizer not an administrator: each whitelisted administrator gets resource-request; Accept writes ACCEPTED as the resource', async () => {
    const id = await newResource(['bob', 'carol', 'dave']);
    await created(id);
    const mails = await sink.waitFor(2);
    await bus.idle();
    assert.equal(sink.messages.length, 2, 'dave is not whitelisted');
    const byRecipient = Object.fromEntries(mails.map((m) => [m.to[0]!, m]));
    assert.deepEqual(Object.keys(byRecipient).sort(), ['bob@linagora.com', 'carol@linagora.com']);
    assert.equal(byRecipient['bob@linagora.com']!.from, 'no-reply@linagora.com');
    assert.equal(byRecipient['bob@linagora.com']!.parsed().subject, 'Un utilisateur a réservé la ressource Projector');
    assert.equal(byRecipient['carol@linagora.com']!.parsed().subject, 'A user booked the resource Projector');
    assert.equal(resourcePartStat(id, 'sabredav-7f3a.ics'), 'NEEDS-ACTION', 'nothing written before an administrator answers');

    const links = moderationLinks(byRecipient['carol@linagora.com']!.parsed().htmlBody ?? '');
    assert.ok(links.ACCEPTED?.startsWith(`/calendar/api/resources/${id}/sabredav-7f3a/participation?status=ACCEPTED&referrer=email&jwt=`), links.ACCEPTED);
    const res = await app.inject({ method: 'GET', url: links.ACCEPTED! });
    assert.equal(res.statusCode, 302, res.body);
    assert.equal(res.headers.location, 'https://calendar.example.com/calendar');
    const stored = sabre.calendar(id, id).objects.get('sabredav-7f3a.ics')!;
    assert.equal(stored.writtenBy, `technical:${domainId}`);
    assert.equal(resourcePartStat(id, 'sabredav-7f3a.ics'), 'ACCEPTED');
    assert.match(stored.ics, /SEQUENCE:1\r\n/);

    const decline = await app.inject({ method: 'GET', url: links.DECLINED! });
    assert.equal(decline.statusCode, 302);
    assert.equal(resourcePartStat(id, 'sabredav-7f3a.ics'), 'DECLINED');
  });

  it('created, resource without administrator: accepted automatically in esn-sabre, no email', async () => {
    const id = await newResource([]);
    await created(id);
    assert.equal(resourcePartStat(id, 'sabredav-7f3a.ics'), 'ACCEPTED');
    assert.equal(sabre.calendar(id, id).objects.get('sabredav-7f3a.ics')!.writtenBy, `technical:${domainId}`);
    assert.equal(sink.messages.length, 0);
  });

  it('created by an administrator of the resource: accepted automatically, no email to the other administrators', async () => {
    const id = await newResource(['bob', 'anne']);
    await created(id, 'ev.ics', 'ANNE@linagora.com');
    assert.equal(resourcePartStat(id, 'ev.ics'), 'ACCEPTED');
    assert.equal(sink.messages.length, 0);
  });

  it('accepted / declined: the organizer gets resource-reply in their language', async () => {
    const id = await newResource(['bob']);
    await answered('accepted', id);
    const [accepted] = await sink.waitFor(1);
    assert.deepEqual(accepted!.to, ['anne@linagora.com']);
    assert.equal(accepted!.from, 'no-reply@linagora.com');
    assert.equal(accepted!.parsed().subject, 'The reservation of resource Projector has been accepted');
    sink.clear();
    language['anne@linagora.com'] = 'fr';
    try {
      await answered('declined', id);
      const [declined] = await sink.waitFor(1);
      assert.equal(declined!.parsed().subject, 'La réservation pour la ressource Projector a été refusée');
    } finally {
      delete language['anne@linagora.com'];
    }
  });

  it('accepted: no reply when the organizer administers the resource, when the resource has none, or when the organizer is not whitelisted', async () => {
    await answered('accepted', await newResource(['anne', 'bob']));
    await answered('accepted', await newResource([]));
    await answered('declined', await newResource(['bob']), 'dave@linagora.com');
    assert.equal(sink.messages.length, 0);
  });

  it('an unknown or deleted resource is acked without effect; a malformed message is dead-lettered', async () => {
    const gone = await newResource(['bob']);
    await resources.softDelete(gone);
    await created(gone);
    await bus.publish('resource:calendar:event:created', { resourceId: '65f1c0ffee0000000000e0fe', eventId: 'x.ics', eventPath: '/calendars/65f1c0ffee0000000000e0fe/65f1c0ffee0000000000e0fe/x.ics', ics: bookingIcs('65f1c0ffee0000000000e0fe') });
    assert.equal(resourcePartStat(gone, 'sabredav-7f3a.ics'), 'NEEDS-ACTION');
    await bus.publish('resource:calendar:event:created', { resourceId: gone, eventId: 'x.ics' });
    await bus.idle();
    assert.equal(sink.messages.length, 0);
    const dead = bus.deadLetters.get('resource:tcalendar:event:created:dead-letter') ?? [];
    assert.equal(dead.length, 1);
    assert.deepEqual(dead[0]!.payload, { resourceId: gone, eventId: 'x.ics' });
  });

  describe('the link route (rest-api.md 4.18)', () => {
    let id = '';
    let token = '';
    before(async () => {
      id = await newResource(['bob']);
      sabre.putObject(id, id, 'ev-9.ics', bookingIcs(id));
      token = await jwt.sign({ resourceId: id, eventId: 'ev-9' });
    });
    const get = (query: string, resource = id, event = 'ev-9') => app.inject({ method: 'GET', url: `/calendar/api/resources/${resource}/${event}/participation${query}` });
    const error = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, code: number, details: string | RegExp) => {
      assert.equal(res.statusCode, code);
      assert.equal(res.headers['content-type'], 'application/json; charset=UTF-8');
      const body = res.json() as { error: { code: number; details: string } };
      assert.equal(body.error.code, code);
      if (typeof details === 'string') assert.equal(body.error.details, details);
      else assert.match(body.error.details, details);
    };

    it('checks status, then referrer (400)', async () => {
      error(await get(`?referrer=email&jwt=${token}`), 400, 'Missing or invalid partStat parameter: status');
      error(await get(`?status=TENTATIVE&referrer=email&jwt=${token}`), 400, 'Missing or invalid partStat parameter: status');
      error(await get(`?status=accepted&referrer=email&jwt=${token}`), 400, 'Missing or invalid partStat parameter: status');
      error(await get(`?status=ACCEPTED&jwt=${token}`), 400, 'Missing referrer parameter: referrer');
      error(await get(`?status=ACCEPTED&referrer=web&jwt=${token}`), 400, 'Invalid referrer parameter, expected: email');
      assert.equal(resourcePartStat(id, 'ev-9.ics'), 'NEEDS-ACTION');
    });

    it('then the JWT: missing or invalid 401 with a body, without claims 400, for another resource or event 403', async () => {
      error(await get('?status=ACCEPTED&referrer=EMAIL'), 401, 'Missing jwt in request');
      error(await get('?status=ACCEPTED&referrer=email&jwt=not.a.jwt'), 401, /^JWT verification failed: /);
      error(await get(`?status=ACCEPTED&referrer=email&jwt=${await testJwt().sign({ resourceId: id, eventId: 'ev-9' })}`), 401, /^JWT verification failed: /);
      error(await get(`?status=ACCEPTED&referrer=email&jwt=${await jwt.sign({ resourceId: id })}`), 400, 'Missing required keys in claim map: [eventId]');
      error(await get(`?status=ACCEPTED&referrer=email&jwt=${await jwt.sign({ resourceId: id, eventId: 'other' })}`), 403, 'JWT does not match path parameter');
      error(await get(`?status=ACCEPTED&referrer=email&jwt=${token}`, id, 'other'), 403, 'JWT does not match path parameter');
      assert.equal(resourcePartStat(id, 'ev-9.ics'), 'NEEDS-ACTION');
    });

    it('an expired link is refused (jwt.key.validity)', async () => {
      const expired = await jwt.sign({ resourceId: id, eventId: 'ev-9' }, -60_000);
      error(await get(`?status=ACCEPTED&referrer=email&jwt=${expired}`), 401, /^JWT verification failed: /);
    });

    it('unknown resource or event: 404', async () => {
      const ghost = '65f1c0ffee0000000000e0aa';
      error(await get(`?status=ACCEPTED&referrer=email&jwt=${await jwt.sign({ resourceId: ghost, eventId: 'ev-9' })}`, ghost), 404, `Resource not found: ${ghost}`);
      error(await get(`?status=ACCEPTED&referrer=email&jwt=${await jwt.sign({ resourceId: id, eventId: 'nope' })}`, id, 'nope'), 404, /Event nope not found/);
    });

    it('a valid link answers with a redirect; the same answer twice writes once', async () => {
      const res = await get(`?status=DECLINED&referrer=email&jwt=${token}`);
      assert.equal(res.statusCode, 302);
      assert.equal(res.headers.location, 'https://calendar.example.com/calendar');
      assert.equal(resourcePartStat(id, 'ev-9.ics'), 'DECLINED');
      const etag = sabre.calendar(id, id).objects.get('ev-9.ics')!.etag;
      assert.equal((await get(`?status=DECLINED&referrer=email&jwt=${token}`)).statusCode, 302);
      assert.equal(sabre.calendar(id, id).objects.get('ev-9.ics')!.etag, etag);
    });
  });
});
