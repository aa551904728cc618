import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { importReportListener, readMailLogo } from '../../src/mail/import-report.js';
import { SmtpMailer } from '../../src/mail/mailer.smtp.js';
import { TemplateRenderer } from '../../src/mail/template-renderer.js';
import { startSmtpSink } from '../harness/smtp.js';

const logger = pino({ level: 'silent' });

describe('import report emails', () => {
  it('reports counts and failed items to the importing user, in their language, from mail.sender', async () => {
    const sink = await startSmtpSink();
    try {
      const report = importReportListener({
        mailer: new SmtpMailer({ host: sink.host, port: sink.port, helo: 't', username: undefined, password: undefined, ssl: false, starttls: false, trustAllCerts: false }, logger),
        renderer: new TemplateRenderer('templates'),
        settings: { lookup: async (e) => ({ internal: true, fullName: 'Bob Durand', language: e.startsWith('bob') ? 'fr' : 'ru', timezone: 'UTC' }) },
        sender: 'no-reply@example.com', spaCalendarUrl: 'https://calendar.example.com', spaContactsUrl: 'https://contacts.example.com', logger,
      });
      await report('bob@example.com', { kind: 'calendar', target: '/calendars/x/y.json', succeedCount: 3, failed: [{ uid: 'u1', summary: 'Broken', start: '20250101T100000', end: '20250101T110000' }] });
      await report('ivan@example.com', { kind: 'addressbook', target: '/addressbooks/x/y.json', succeedCount: 2, failed: [] });
      const [cal, contacts] = await sink.waitFor(2);
      assert.equal(cal!.from, 'no-reply@example.com');
      assert.deepEqual(cal!.to, ['bob@example.com']);
      assert.equal(cal!.parsed().subject, "Rapport d'importation de calendrier");
      assert.match(cal!.parsed().htmlBody ?? '', /3 événement\(s\) importé\(s\)/);
      assert.match(cal!.parsed().htmlBody ?? '', /u1 - Broken - 20250101T100000 \/ 20250101T110000/);
      assert.equal(contacts!.parsed().subject, 'Отчет об импорте контактов');
      assert.match(contacts!.parsed().textBody ?? '', /контактов: 2/);
      assert.ok(!contacts!.parsed().leaves.some((p) => p.contentType === 'text/calendar'));
    } finally {
      await sink.close();
    }
  });

  it('carries the template folder\'s logo inline (Content-ID <logo>, shown by cid:) and is marked auto-generated', async () => {
    const sink = await startSmtpSink();
    try {
      const logo = readMailLogo('templates');
      assert.ok(logo && logo.subarray(1, 4).toString() === 'PNG', 'templates/_layout/logo.png is a PNG');
      const report = importReportListener({
        mailer: new SmtpMailer({ host: sink.host, port: sink.port, helo: 't', username: undefined, password: undefined, ssl: false, starttls: false, trustAllCerts: false }, logger),
        renderer: new TemplateRenderer('templates'),
        settings: { lookup: async () => ({ internal: true, fullName: 'Bob Durand', language: 'en', timezone: 'UTC' }) },
        sender: 'no-reply@example.com', spaCalendarUrl: 'https://calendar.example.com', spaContactsUrl: 'https://contacts.example.com', logger, logo,
      });
      await report('bob@example.com', { kind: 'calendar', target: '/calendars/x/y.json', succeedCount: 1, failed: [] });
      const [mail] = await sink.waitFor(1);
      const parsed = mail!.parsed();
      assert.equal(parsed.header('auto-submitted'), 'auto-generated');
      const image = parsed.leaves.find((p) => p.contentType === 'image/png');
      assert.ok(image, 'an image/png part');
      assert.equal(image.header('content-id'), '<logo>');
      assert.match(image.header('content-type') ?? '', /name="?logo\.png"?/);
      assert.deepEqual(image.body, logo);
      assert.match(parsed.htmlBody ?? '', /<img src="cid:logo"/);
      // Without a logo in the template folder: no image part, no broken <img>.
      const plain = importReportListener({
        mailer: new SmtpMailer({ host: sink.host, port: sink.port, helo: 't', username: undefined, password: undefined, ssl: false, starttls: false, trustAllCerts: false }, logger),
        renderer: new TemplateRenderer('templates'),
        settings: { lookup: async () => ({ internal: true, fullName: 'Bob Durand', language: 'en', timezone: 'UTC' }) },
        sender: 'no-reply@example.com', spaCalendarUrl: 'https://calendar.example.com', spaContactsUrl: 'https://contacts.example.com', logger,
      });
      await plain('bob@example.com', { kind: 'addressbook', target: '/addressbooks/x/y.json', succeedCount: 1, failed: [] });
      const [, second] = await sink.waitFor(2);
      assert.ok(!second!.parsed().leaves.some((p) => p.contentType === 'image/png'));
      assert.doesNotMatch(second!.parsed().htmlBody ?? '', /cid:logo/);
      assert.equal(readMailLogo('/nonexistent-templates'), undefined);
    } finally {
      await sink.close();
    }
  });
});
