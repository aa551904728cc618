import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { importReportListener } from '../../src/mail/import-report.js';
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
});
