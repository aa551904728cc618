import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { pino } from 'pino';
import { MemoryMessageBus } from '../../src/events/message-bus.memory.js';
import { NOTIFICATION_EMAIL_QUEUE } from '../../src/events/topology.js';
import { registerMailConsumers } from '../../src/mail/itip-notification-consumer.js';
import { SmtpMailer } from '../../src/mail/mailer.smtp.js';
import type { RecipientSettings } from '../../src/mail/recipient-settings.js';
import { TemplateRenderer } from '../../src/mail/template-renderer.js';
import { startSmtpSink, type CapturedMessage, type SmtpSink } from '../harness/smtp.js';
import { cancelMessage, counterMessage, inviteMessage, replyMessage, testJwt, UPDATE_ICS, updateMessage } from './fixtures.js';

const logger = pino({ level: 'silent' });
const EXCHANGE = NOTIFICATION_EMAIL_QUEUE.exchange;
/** Internal users and their settings; anyone else is external. */
const people: Record<string, { fullName: string; language: string; timezone: string }> = {
  'bob@example.com': { fullName: 'Bob Durand', language: 'fr', timezone: 'Asia/Ho_Chi_Minh' },
  'anne@example.com': { fullName: 'Anne Martin', language: 'vi', timezone: 'Europe/Paris' },
};
let language: Record<string, string> = {};
const settings: RecipientSettings = {
  lookup: async (email) => {
    const p = people[email];
    return p ? { internal: true, ...p, language: language[email] ?? p.language } : { internal: false, fullName: '', language: 'en', timezone: 'Europe/Paris' };
  },
};

describe('iTIP notification emails over SMTP', () => {
  let sink: SmtpSink;
  let bus: MemoryMessageBus;
  const jwt = testJwt();

  before(async () => {
    sink = await startSmtpSink();
    bus = new MemoryMessageBus({ logger, maxRetries: 1 });
    const mailer = new SmtpMailer({ host: sink.host, port: sink.port, helo: 'sidecal.test', username: undefined, password: undefined, ssl: false, starttls: false, trustAllCerts: false }, logger, { backoffMs: 10 });
    await registerMailConsumers(bus, {
      mailer, settings, jwt, whitelist: [],
      renderer: new TemplateRenderer('templates'),
      spaCalendarUrl: 'https://calendar.example.com/',
      spaExcalUrl: 'https://excal.example.com',
    });
  });
  after(async () => {
    await bus.close();
    await sink.close();
  });
  beforeEach(() => {
    sink.clear();
    language = {};
  });

  async function deliver(payload: unknown): Promise<CapturedMessage> {
    await bus.publish(EXCHANGE, payload);
    const [mail] = await sink.waitFor(1);
    return mail!;
  }

  it('sends the invite with the calendar part, the attachment and excal links', async () => {
    const mail = await deliver(inviteMessage());
    const parsed = mail.parsed();
    assert.equal(mail.from, 'anne@example.com');
    assert.deepEqual(mail.to, ['bob@example.com']);
    assert.equal(parsed.subject, 'Nouvel événement de Anne Martin : Sprint review');
    assert.match(parsed.from ?? '', /Anne Martin.*anne@example\.com/);
    const calendar = parsed.leaves.find((p) => p.contentType === 'text/calendar');
    assert.equal(calendar?.params.method, 'REQUEST');
    assert.match(calendar!.text(), /UID:a0b5a363/);
    const attachment = parsed.leaves.find((p) => p.params.name === 'meeting.ics' || /meeting\.ics/.test(p.header('content-disposition') ?? ''));
    assert.ok(attachment, 'meeting.ics attached');
    assert.match(attachment.header('content-disposition') ?? '', /attachment/);
    assert.match(attachment.body.toString('utf8'), /SUMMARY:Sprint review/);
    const html = parsed.htmlBody ?? '';
    assert.match(html, /Room 4 &amp; 5/);
    assert.match(html, /Projector/);
    assert.match(html, /https:\/\/calendar\.example\.com\/calendar\/#\/calendar\?start=10-02-2025/);
    assert.match(parsed.textBody ?? '', /Participerez-vous/);
    const links = [...html.matchAll(/https:\/\/excal\.example\.com\/excal\/\?jwt=([\w.-]+)/g)].map((m) => decodeJwt(m[1]!));
    assert.deepEqual(links.map((c) => c.action), ['ACCEPTED', 'TENTATIVE', 'REJECTED']);
    for (const claims of links) {
      assert.equal(claims.attendeeEmail, 'bob@example.com');
      assert.equal(claims.organizerEmail, 'anne@example.com');
      assert.equal(claims.uid, 'a0b5a363');
      assert.equal(claims.calendarURI, '68a1b2c3d4e5f60718293a4b');
      assert.equal(claims.exp, undefined);
    }
  });

  it('writes the subject in each of the four languages', async () => {
    const expected: Record<string, string> = {
      en: 'New event from Anne Martin: Sprint review',
      fr: 'Nouvel événement de Anne Martin : Sprint review',
      vi: 'Sự kiện mới từ Anne Martin: Sprint review',
      ru: 'Новое событие от Anne Martin: Sprint review',
    };
    for (const [lang, subject] of Object.entries(expected)) {
      sink.clear();
      language = { 'bob@example.com': lang };
      const mail = await deliver(inviteMessage());
      assert.equal(mail.parsed().subject, subject);
      assert.equal(mail.parsed().leaves.find((p) => p.contentType === 'text/html')?.header('content-language') ?? mail.parsed().header('content-language'), lang);
    }
  });

  it('an external recipient gets the organizer language, the event zone and no calendar link', async () => {
    const mail = await deliver(inviteMessage({ recipientEmail: 'carol@outside.org' }));
    const parsed = mail.parsed();
    assert.equal(parsed.subject, 'Sự kiện mới từ Anne Martin: Sprint review');
    assert.match(parsed.htmlBody ?? '', /10:30 – 11:30/);
    assert.match(parsed.htmlBody ?? '', /Europe\/Paris/);
    assert.doesNotMatch(parsed.htmlBody ?? '', /calendar\.example\.com/);
    assert.match(parsed.htmlBody ?? '', /excal\.example\.com/);
  });

  it('sends the update of the spec message (unknown changes.duration ignored) with the old time struck', async () => {
    const mail = await deliver(updateMessage());
    const parsed = mail.parsed();
    assert.equal(parsed.subject, 'Événement Sprint review de Anne Martin mis à jour');
    // Bob reads Asia/Ho_Chi_Minh: 10:30 Paris = 15:30, the old 10:00 = 15:00.
    assert.match(parsed.htmlBody ?? '', /15:30 – 16:30/);
    assert.match(parsed.htmlBody ?? '', /<s>jeudi, 02 octobre 2025 15:00 – 16:00<\/s>/);
  });

  const deadLetters = () => (bus.deadLetters.get(`${NOTIFICATION_EMAIL_QUEUE.queue}:dead-letter`) ?? []).length;

  it('a REQUEST neither new nor changed sends nothing', async () => {
    const { changes: _c, ...noNews } = updateMessage();
    const dead = deadLetters();
    await bus.publish(EXCHANGE, noNews);
    await bus.idle();
    assert.equal(sink.messages.length, 0);
    assert.equal(deadLetters(), dead, 'acked as "no news", not failed');
  });

  it('sends the cancel with method CANCEL', async () => {
    const parsed = (await deliver(cancelMessage())).parsed();
    assert.equal(parsed.subject, "L'événement Sprint review de Anne Martin a été annulé");
    assert.equal(parsed.leaves.find((p) => p.contentType === 'text/calendar')?.params.method, 'CANCEL');
  });

  it('sends the reply to the organizer with the PARTSTAT label, the full name when CN is empty', async () => {
    language = { 'anne@example.com': 'en' };
    let parsed = (await deliver(replyMessage('DECLINED'))).parsed();
    assert.equal(parsed.subject, 'Declined: Sprint review (Bob Durand)');
    assert.match(parsed.htmlBody ?? '', /#ffdede/);
    assert.equal(parsed.leaves.find((p) => p.contentType === 'text/calendar')?.params.method, 'REPLY');
    sink.clear();
    language = { 'anne@example.com': 'fr' };
    parsed = (await deliver(replyMessage('ACCEPTED', ''))).parsed();
    assert.equal(parsed.subject, 'Accepté: Sprint review (Bob Durand)');
    assert.match(parsed.htmlBody ?? '', /calendar\.example\.com/);
  });

  it('sends the counter with the proposed time and comment, in Russian', async () => {
    language = { 'anne@example.com': 'ru' };
    const parsed = (await deliver(counterMessage())).parsed();
    assert.equal(parsed.subject, 'Новые изменения, предложенные для события Sprint review');
    assert.match(parsed.htmlBody ?? '', /Bob Durand/);
    assert.match(parsed.htmlBody ?? '', /03 октября 2025 14:00/);
    assert.match(parsed.htmlBody ?? '', /Thursday is full for me/);
    assert.equal(parsed.leaves.find((p) => p.contentType === 'text/calendar')?.params.method, 'COUNTER');
  });

  it('dead-letters an unsupported method and a COUNTER without oldEvent, without mail', async () => {
    const dead = deadLetters();
    await bus.publish(EXCHANGE, { ...updateMessage(), method: 'PUBLISH' });
    await bus.publish(EXCHANGE, { ...counterMessage(), oldEvent: undefined });
    await bus.idle();
    assert.equal(sink.messages.length, 0);
    assert.equal(deadLetters(), dead + 2);
  });

  it('keeps the calendar parts byte for byte', async () => {
    const parsed = (await deliver(updateMessage())).parsed();
    assert.equal(parsed.leaves.find((p) => p.contentType === 'text/calendar')?.text(), UPDATE_ICS);
  });
});

describe('recipient whitelist', () => {
  it('sends only to whitelisted recipients', async () => {
    const sink = await startSmtpSink();
    const bus = new MemoryMessageBus({ logger });
    try {
      const mailer = new SmtpMailer({ host: sink.host, port: sink.port, helo: 'sidecal.test', username: undefined, password: undefined, ssl: false, starttls: false, trustAllCerts: false }, logger);
      await registerMailConsumers(bus, {
        mailer, settings, jwt: testJwt(), whitelist: ['Bob@Example.com'],
        renderer: new TemplateRenderer('templates'), spaCalendarUrl: 'https://c', spaExcalUrl: 'https://e',
      });
      await bus.publish(EXCHANGE, inviteMessage({ recipientEmail: 'carol@outside.org' }));
      await bus.publish(EXCHANGE, inviteMessage());
      await bus.idle();
      assert.deepEqual(sink.messages.map((m) => m.to), [['bob@example.com']]);
    } finally {
      await bus.close();
      await sink.close();
    }
  });
});
