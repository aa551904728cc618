import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { AlarmEmailRenderer } from '../../src/alarms/alarm-mailer.js';
import { readMailLogo } from '../../src/mail/import-report.js';
import { composeItipMail } from '../../src/mail/itip-mail-composer.js';
import { parseItipNotification } from '../../src/mail/itip-notification.js';
import { resourceReplyMail, resourceRequestMail } from '../../src/mail/resource-mail.js';
import { MAIL_LANGUAGES, TemplateRenderer } from '../../src/mail/template-renderer.js';
import { requireEnv } from '../support/real.js';
import { cancelMessage, counterMessage, inviteMessage, replyMessage, testJwt, UPDATE_ICS, updateMessage } from './fixtures.js';

/**
 * Every email template rendered in Chromium, as a webmail's HTML engine would show it, in the four languages: in a
 * 600 px reading pane and on a 375 px phone, nothing spills sideways, the event summary and the action links are
 * visible, and no template placeholder or translation key shows. A PNG of each goes to `test-output/mail/` so that
 * a person can look at them (written on every run; the folder is ignored by git).
 */
const OUT = resolve('test-output', 'mail');
const LOGO = readMailLogo('templates')!.toString('base64');
const renderer = new TemplateRenderer('templates');
const jwt = testJwt();
const settings = (language: string) => ({ lookup: async () => ({ internal: true, fullName: 'Bob Durand', language, timezone: 'Europe/Paris' }) });
const itip = (message: () => Record<string, unknown>) => async (lang: string) =>
  (await composeItipMail(parseItipNotification(message()), { renderer, jwt, spaCalendarUrl: 'https://calendar.example.com', spaExcalUrl: 'https://excal.example.com', settings: settings(lang) }))!.html;
const resourceDeps = (lang: string) => ({ renderer, jwt, sender: 'no-reply@example.com', selfUrl: 'https://side.example.com/', settings: settings(lang) });
const ALARM_ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:standup', 'SUMMARY:Sprint review', 'LOCATION:Room 42',
  'DESCRIPTION:Bring your notes', 'DTSTART:20261124T090000Z', 'DTEND:20261124T093000Z', 'ORGANIZER;CN=Anne Martin:mailto:anne@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob Durand:mailto:bob@example.com', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

const TEMPLATES: Record<string, { html: (lang: string) => Promise<string>; mustShow: RegExp; links: number }> = {
  'event-invite': { html: itip(inviteMessage), mustShow: /Sprint review/, links: 3 },
  'event-update': { html: itip(updateMessage), mustShow: /Sprint review/, links: 3 },
  'event-cancel': { html: itip(cancelMessage), mustShow: /Sprint review/, links: 0 },
  'event-reply': { html: itip(() => replyMessage('ACCEPTED')), mustShow: /Sprint review/, links: 0 },
  'event-counter': { html: itip(counterMessage), mustShow: /Sprint review/, links: 0 },
  'event-alarm': {
    html: async (lang) => new AlarmEmailRenderer(renderer).renderAlarm(
      { eventUid: 'standup', recipient: 'bob@example.com', alarmTime: new Date('2026-11-24T08:45:00Z'), eventStartTime: new Date('2026-11-24T09:00:00Z'), recurring: false, ics: ALARM_ICS },
      lang, new Date('2026-11-24T08:45:00Z')).html,
    mustShow: /Sprint review/, links: 0,
  },
  'resource-request': {
    html: async (lang) => (await resourceRequestMail(resourceDeps(lang), { adminEmail: 'admin@example.com', resourceId: 'r1', resourceName: 'Projector', eventId: 'ev1.ics', ics: UPDATE_ICS })).html,
    mustShow: /Projector/, links: 2,
  },
  'resource-reply': {
    html: async (lang) => (await resourceReplyMail(resourceDeps(lang), { organizerEmail: 'anne@example.com', resourceName: 'Projector', approved: true, ics: UPDATE_ICS })).html,
    mustShow: /Projector/, links: 0,
  },
  'import-calendar': {
    html: async (lang) => renderer.render('import-calendar', lang, { succeedCount: 12, failedCount: 2, failed: ['u1 - Broken - 20250101T100000 / 20250101T110000', 'u2 - Other - 20250102T100000 / 20250102T110000'], appUrl: 'https://calendar.example.com', hasLogo: true }).html,
    mustShow: /u1 - Broken/, links: 0,
  },
  'import-contacts': {
    html: async (lang) => renderer.render('import-contacts', lang, { succeedCount: 40, failedCount: 1, failed: ['jane@example.com'], appUrl: 'https://contacts.example.com', hasLogo: true }).html,
    mustShow: /jane@example\.com/, links: 0,
  },
};

describe('email templates in a real browser engine', () => {
  let browser: Browser;
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: requireEnv('CHROMIUM_PATH'),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => browser?.close());

  for (const [name, t] of Object.entries(TEMPLATES)) {
    it(`${name}: readable at 600 px and 375 px in ${MAIL_LANGUAGES.join(', ')}, nothing unrendered`, async () => {
      for (const lang of MAIL_LANGUAGES) {
        const html = await t.html(lang);
        for (const width of [600, 375]) {
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          try {
            // Remote resources (web fonts) are blocked, as many mail clients do until asked: the mail must stand alone.
            await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
            // A mail client shows `cid:logo` from the message's inline part: here, the same PNG as a data URL.
            await page.setContent(html.replaceAll('src="cid:logo"', `src="data:image/png;base64,${LOGO}"`), { waitUntil: 'load' });
            const seen = await page.evaluate(() => ({
              text: document.body.innerText,
              scrollWidth: document.documentElement.scrollWidth,
              height: document.documentElement.scrollHeight,
              brokenImages: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src.slice(0, 40)),
              fontSize: Math.min(...[...document.querySelectorAll('p, td, li, span, a')].filter((e) => (e as HTMLElement).innerText.trim() !== '').map((e) => parseFloat(getComputedStyle(e).fontSize))),
              links: [...document.querySelectorAll('a[href]')].map((a) => ({ href: (a as HTMLAnchorElement).href, text: (a as HTMLElement).innerText.trim(), visible: (a as HTMLElement).getBoundingClientRect().width > 0 })),
            }));
            const where = `${name}/${lang} at ${width}px`;
            assert.ok(seen.scrollWidth <= width, `${where}: ${seen.scrollWidth} px wide, spills sideways`);
            assert.match(seen.text, t.mustShow, `${where}: the subject matter is not visible`);
            assert.doesNotMatch(seen.text, /\{\{|#\{|!\{|undefined|null|NaN|\[object Object\]/, `${where}: unrendered placeholder`);
            assert.doesNotMatch(seen.text, /\b[a-z]+[A-Z][A-Za-z]*\b/, `${where}: a camelCase translation key shows`);
            assert.ok(seen.fontSize >= 11, `${where}: text as small as ${seen.fontSize}px`);
            assert.ok(seen.height > 200, `${where}: almost empty page`);
            assert.deepEqual(seen.brokenImages, [], `${where}: images that do not show`);
            const actions = seen.links.filter((l) => /participation|excal/.test(l.href));
            assert.equal(actions.length, t.links, `${where}: action links`);
            for (const a of actions) assert.ok(a.visible && a.text !== '', `${where}: an action link is hidden or has no label`);
            if (width === 600 && (lang === 'en' || lang === 'vi')) await page.screenshot({ path: join(OUT, `${name}-${lang}.png`), fullPage: true });
          } finally {
            await page.close();
          }
        }
      }
    });
  }
});
