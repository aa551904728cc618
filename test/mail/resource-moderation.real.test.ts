import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from 'amqplib';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import { systemClock } from '../../src/core/clock.js';
import { startSidecal } from '../../src/main.js';
import { MongoConfigurationStore } from '../../src/storage/configuration-store.mongo.js';
import { MongoDomainStore } from '../../src/storage/domain-store.mongo.js';
import { MongoResourceStore } from '../../src/storage/resource-store.mongo.js';
import { connectMongo } from '../../src/storage/mongo.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';
import { startSmtpSink } from '../harness/smtp.js';
import { requireEnv, uniqueName } from '../support/real.js';
import { silentLogger, testConfig } from '../support/sidecal.js';
import { bookingIcs, moderationLinks } from './resource-fixtures.js';

/** Publishes as esn-sabre does: the topic's exchange, routing key "", a PHP json_encode body (`\/`), no properties. */
async function publishAsSabre(exchange: string, json: string): Promise<void> {
  const conn = await connect(requireEnv('RABBITMQ_URI'));
  try {
    const ch = await conn.createConfirmChannel();
    ch.publish(exchange, '', Buffer.from(json));
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

const phpJson = (value: unknown) => JSON.stringify(value).replace(/\//g, '\\/');

test('real RabbitMQ and MongoDB: resource:calendar:event:created → resource-request to the administrators (fr, en) → Accept link → ACCEPTED in esn-sabre; accepted → resource-reply', async () => {
  const sink = await startSmtpSink();
  const secret = 'resource-moderation-technical-secret';
  const sabre = await new SabreEmulator('admin', 'secret', new TechnicalTokenService(secret, 3_600_000)).start();
  const database = uniqueName('sidecal_resources');
  const mongo = await connectMongo(requireEnv('MONGO_URL'), database);
  const s = await startSidecal(testConfig({
    MONGO_URL: requireEnv('MONGO_URL'), MONGO_DATABASE: database, RABBITMQ_URI: requireEnv('RABBITMQ_URI'), ...sink.env,
    MAIL_TEMPLATE_LOCATION: 'templates', DAV_URL: sabre.url, JWT_TECHNICAL_TOKEN_SECRET: secret, SELF_URL: 'https://side.example.com',
    SPA_CALENDAR_URL: 'https://calendar.example.com/',
  }), { logger: silentLogger, listen: false });
  try {
    for (const email of ['anne@linagora.com', 'bob@linagora.com', 'carol@linagora.com']) {
      const res = await s.webadmin!.inject({ method: 'POST', url: '/registeredUsers', payload: { email, firstname: email.split('@')[0], lastname: 'L' } });
      assert.equal(res.statusCode, 201, res.body);
    }
    const listed = (await s.webadmin!.inject({ method: 'GET', url: '/registeredUsers' })).json() as { email: string; id: string }[];
    const idOf = (email: string) => listed.find((u) => u.email === email)!.id;
    const domainId = (await new MongoDomainStore(mongo.db, systemClock).retrieveByName('linagora.com'))!.id;
    // Bob reads French (his stored core.language); Carol has nothing stored: default.language, English.
    await new MongoConfigurationStore(mongo.db).mergeEntries({ userId: idOf('bob@linagora.com'), domainId }, [{ name: 'core', configurations: [{ name: 'language', value: 'fr' }] }]);
    const resourceId = await new MongoResourceStore(mongo.db, systemClock).insert({
      creator: idOf('anne@linagora.com'), domainId, name: 'Salle Rivière', description: 'Room 4',
      administrators: [{ id: idOf('bob@linagora.com'), objectType: 'user' }, { id: idOf('carol@linagora.com'), objectType: 'user' }],
    });
    sabre.addCalendar(resourceId, resourceId, `technical:${domainId}`);
    const file = 'sabredav-51b2c0.ics';
    const ics = bookingIcs(resourceId).replace('CN=Projector', 'CN=Salle Rivière');
    sabre.putObject(resourceId, resourceId, file, ics);

    // The spec's payload (events-mail.md 1.5.5): eventId is the object file name on `created`.
    await publishAsSabre('resource:calendar:event:created', phpJson({ resourceId, eventId: file, eventPath: `/calendars/${resourceId}/${resourceId}/${file}`, ics }));
    const mails = await sink.waitFor(2, 15_000);
    const to = (email: string) => mails.find((m) => m.to[0] === email)!;
    assert.deepEqual(mails.map((m) => m.to[0]).sort(), ['bob@linagora.com', 'carol@linagora.com']);
    assert.equal(to('bob@linagora.com').from, 'no-reply@open-paas.org');
    assert.equal(to('bob@linagora.com').parsed().subject, 'Un utilisateur a réservé la ressource Salle Rivière');
    assert.equal(to('carol@linagora.com').parsed().subject, 'A user booked the resource Salle Rivière');
    assert.match(sabre.calendar(resourceId, resourceId).objects.get(file)!.ics, /PARTSTAT=NEEDS-ACTION;CUTYPE=RESOURCE/);

    const accept = moderationLinks(to('bob@linagora.com').parsed().htmlBody ?? '').ACCEPTED;
    assert.ok(accept, 'Accept link in the email');
    const res = await s.rest.inject({ method: 'GET', url: accept });
    assert.equal(res.statusCode, 302, res.body);
    assert.equal(res.headers.location, 'https://calendar.example.com/calendar');
    const stored = sabre.calendar(resourceId, resourceId).objects.get(file)!;
    assert.match(stored.ics, /PARTSTAT=ACCEPTED;CUTYPE=RESOURCE/);
    assert.equal(stored.writtenBy, `technical:${domainId}`);

    // esn-sabre then publishes the resource's answer, with the UID as eventId; the organizer (English) hears of it.
    sink.clear();
    await publishAsSabre('resource:calendar:event:accepted', phpJson({ resourceId, eventId: 'booking-1', eventPath: `/calendars/${resourceId}/${resourceId}/${file}`, ics: stored.ics, etag: stored.etag }));
    const [reply] = await sink.waitFor(1, 15_000);
    assert.deepEqual(reply!.to, ['anne@linagora.com']);
    assert.equal(reply!.parsed().subject, 'The reservation of resource Salle Rivière has been accepted');
  } finally {
    await s.close();
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
    await sabre.stop();
    await sink.close();
  }
});
