import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { composeItipMail } from '../../src/mail/itip-mail-composer.js';
import { parseItipNotification } from '../../src/mail/itip-notification.js';
import { MAIL_LANGUAGES, TemplateRenderer } from '../../src/mail/template-renderer.js';
import { cancelMessage, counterMessage, inviteMessage, replyMessage, testJwt, updateMessage } from './fixtures.js';

const TEMPLATES = { 'event-invite': inviteMessage, 'event-update': updateMessage, 'event-cancel': cancelMessage, 'event-reply': () => replyMessage('TENTATIVE'), 'event-counter': counterMessage };
const renderer = new TemplateRenderer('templates');
const jwt = testJwt();

function keysOf(name: string, lang: string): Record<string, string> {
  return JSON.parse(readFileSync(join('templates', name, 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;
}

describe('every template in every language', () => {
  for (const [name, message] of Object.entries(TEMPLATES)) {
    it(`${name}: each language has the keys of en`, () => {
      const en = Object.keys(keysOf(name, 'en')).sort();
      for (const lang of MAIL_LANGUAGES) assert.deepEqual(Object.keys(keysOf(name, lang)).sort(), en, `${name}/${lang}`);
    });
    for (const lang of MAIL_LANGUAGES) {
      it(`${name} in ${lang}: no placeholder or key left unrendered`, async () => {
        const mail = await composeItipMail(parseItipNotification(message()), {
          renderer, jwt, spaCalendarUrl: 'https://c.example', spaExcalUrl: 'https://e.example',
          settings: { lookup: async () => ({ internal: true, fullName: 'Some One', language: lang, timezone: 'Europe/Paris' }) },
        });
        assert.ok(mail);
        assert.equal(mail.language, lang);
        const keys = Object.keys(keysOf(name, 'en'));
        for (const [part, body] of [['subject', mail.subject], ['html', mail.html], ['text', mail.text]] as const) {
          assert.doesNotMatch(body, /\{\{|#\{|!\{|undefined|\[object Object\]/, `${name}/${lang} ${part}`);
          // camelCase and snake keys cannot be English words, so finding one means a missing translation.
          for (const key of keys.filter((k) => /[A-Z_]/.test(k))) assert.ok(!new RegExp(`\\b${key}\\b`).test(body), `${name}/${lang} ${part}: raw key ${key}`);
        }
        assert.ok(mail.subject.includes('Sprint review'));
        assert.ok(mail.text.length > 50);
      });
    }
  }

  for (const name of ['import-calendar', 'import-contacts']) {
    for (const lang of MAIL_LANGUAGES) {
      it(`${name} in ${lang}: no placeholder or key left unrendered`, () => {
        const mail = renderer.render(name, lang, { succeedCount: 2, failedCount: 1, failed: ['someone@example.com'], appUrl: 'https://app.example' });
        assert.equal(mail.language, lang);
        for (const body of [mail.subject, mail.html, mail.text]) {
          assert.doesNotMatch(body, /\{\{|#\{|!\{|undefined|notImported|imported_|\[object Object\]/);
        }
        assert.match(mail.html, /someone@example\.com/);
        assert.match(mail.text, /2/);
      });
    }
  }

  it('an unsupported or malformed language falls back to English, dates included', async () => {
    for (const language of ['de', 'en_US']) {
      const mail = await composeItipMail(parseItipNotification(inviteMessage()), {
        renderer, jwt, spaCalendarUrl: 'https://c', spaExcalUrl: 'https://e',
        settings: { lookup: async () => ({ internal: true, fullName: '', language, timezone: 'UTC' }) },
      });
      assert.equal(mail?.language, 'en', language);
      assert.equal(mail?.subject, 'New event from Anne Martin: Sprint review');
      // Not 'Donnerstag, 02 Oktober 2025' in an English mail, and no RangeError for 'en_US'.
      assert.match(mail.text, /Time: Thursday, 02 October 2025 08:30 – 09:30 UTC/, language);
      assert.match(mail.html, /Thursday, 02 October 2025 08:30/, language);
    }
  });
});
