import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { AlarmEmailRenderer, PipelineAlarmMailer } from '../../src/alarms/alarm-mailer.js';
import { SmtpMailer } from '../../src/mail/mailer.smtp.js';
import { TemplateRenderer } from '../../src/mail/template-renderer.js';
import type { AlarmEntry } from '../../src/alarms/alarm-store.js';
import { startSmtpSink, type SmtpSink } from '../harness/smtp.js';
import { vcalendar, vevent } from './fixtures.js';

const renderer = new AlarmEmailRenderer(new TemplateRenderer('templates'));
const ICS = vcalendar(
  vevent([
    'UID:standup', 'SUMMARY:Daily stand-up', 'LOCATION:https://meet.example.org/room', 'DESCRIPTION:Bring your notes',
    'X-OPENPAAS-VIDEOCONFERENCE:https://jitsi.example.org/standup', 'DTSTART:20261124T090000Z', 'DTEND:20261124T093000Z',
    'ORGANIZER;CN=Bob:mailto:bob@linagora.com', 'ATTENDEE;PARTSTAT=ACCEPTED;CN=Alice:mailto:alice@linagora.com',
    'ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob:mailto:bob@linagora.com', 'ATTENDEE;CUTYPE=RESOURCE;CN=Room 4:mailto:room4@linagora.com',
  ]),
);
const entry: AlarmEntry = { eventUid: 'standup', recipient: 'alice@linagora.com', alarmTime: new Date('2026-11-24T08:45:00Z'), eventStartTime: new Date('2026-11-24T09:00:00Z'), recurring: false, ics: ICS };

let sink: SmtpSink;
before(async () => {
  sink = await startSmtpSink();
});
after(async () => sink.close());

test('event-alarm subjects and the "about to begin" line in the four languages', async () => {
  const now = new Date('2026-11-24T08:45:00Z');
  const expected: Record<string, [string, string]> = {
    en: ['Notification: Daily stand-up', 'This event is about to begin in 15 minutes'],
    fr: ['Notification: Daily stand-up', 'Cet événement commence dans 15 minutes'],
    vi: ['Thông báo: Daily stand-up', 'Sự kiện này sắp bắt đầu sau 15 phút'],
    ru: ['Уведомление: Daily stand-up', 'Это событие начнётся через 15 минут'],
  };
  for (const [lang, [subject, line]] of Object.entries(expected)) {
    const mail = renderer.renderAlarm(entry, lang, now);
    assert.equal(mail.subject, subject);
    assert.ok(mail.html.includes(line), `${lang}: ${line}`);
    assert.doesNotMatch(mail.html, /\{\{|#\{|undefined/);
    assert.ok(mail.text.startsWith(`${line}\n\nDaily stand-up\n`), `${lang} text: ${mail.text}`);
    assert.doesNotMatch(mail.text, /\{\{|!\{|#\{|undefined|\[object Object\]/);
  }
  assert.equal(renderer.renderAlarm(entry, 'de', now).language, 'en', 'unsupported language → English');
});

test('durations read naturally: rounded up, days and hours, plurals per language', async () => {
  const at = (ms: number) => new Date(entry.eventStartTime.getTime() - ms);
  const line = async (lang: string, ms: number) => /(?:begin in|commence dans|bắt đầu sau|начнётся через) ([^<]+)</.exec(renderer.renderAlarm(entry, lang, at(ms)).html)?.[1];
  assert.equal(await line('en', 60_000), '1 minute');
  assert.equal(await line('en', 61_000), '2 minutes');
  assert.equal(await line('en', 2 * 3_600_000 + 5 * 60_000), '2 hours 5 minutes');
  assert.equal(await line('en', 2 * 86_400_000 + 3_600_000), '2 days 1 hour');
  assert.equal(await line('fr', 2 * 86_400_000 + 3_600_000), '2 jours 1 heure');
  assert.equal(await line('ru', 2 * 3_600_000), '2 часа');
  assert.equal(await line('ru', 5 * 60_000), '5 минут');
});

test('the alarm email goes over SMTP: HTML with a text alternative, From mail.sender, To the recipient, event details', async () => {
  const smtp = new SmtpMailer({ host: sink.host, port: sink.port, helo: 'sidecal', username: undefined, password: undefined, ssl: false, starttls: false, trustAllCerts: false }, pino({ level: 'silent' }));
  const mailer = new PipelineAlarmMailer(renderer, 'no-reply@open-paas.org', smtp);
  await mailer.sendAlarm({ entry, recipient: 'alice@linagora.com', language: 'fr', timezone: 'Europe/Paris', now: new Date('2026-11-24T08:45:00Z') });
  const [message] = await sink.waitFor(1, 5_000);
  assert.ok(message);
  assert.equal(message.from, 'no-reply@open-paas.org');
  assert.deepEqual(message.to, ['alice@linagora.com']);
  const parsed = message.parsed();
  assert.equal(parsed.subject, 'Notification: Daily stand-up');
  const text = parsed.textBody ?? '';
  assert.match(text, /Cet événement commence dans 15 minutes/);
  for (const line of ['Lieu: https://meet.example.org/room', 'Visioconférence: https://jitsi.example.org/standup', 'Participants: Bob (Organisateur), Alice', 'Ressources: Room 4', 'Notes: Bring your notes']) {
    assert.ok(text.includes(line), line);
  }
  const html = parsed.htmlBody ?? '';
  for (const part of ['Cet événement commence dans 15 minutes', 'Daily stand-up', 'https://jitsi.example.org/standup', 'Bring your notes', 'Room 4', 'Alice', 'Bob', 'Organisateur']) {
    assert.ok(html.includes(part), part);
  }
  assert.match(html, /href="https:\/\/meet\.example\.org\/room"/);
  // The shared layout frames it like every other email; no time line (spec 3.4 §6).
  assert.match(html, /Twake Calendar/);
  assert.doesNotMatch(html + text, /09:00|10:00/);
  smtp.close();
});
