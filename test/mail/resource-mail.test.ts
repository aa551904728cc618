import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceReplyMail, resourceRequestMail } from '../../src/mail/resource-mail.js';
import { MAIL_LANGUAGES, TemplateRenderer } from '../../src/mail/template-renderer.js';
import { testJwt, UPDATE_ICS } from './fixtures.js';

const jwt = testJwt();
const deps = (language: string) => ({
  renderer: new TemplateRenderer('templates'), jwt, sender: 'no-reply@example.com', selfUrl: 'https://side.example.com/',
  settings: { lookup: async () => ({ internal: true, fullName: 'Admin', language, timezone: 'Europe/Paris' }) },
});
const subjects: Record<string, [string, string]> = {
  en: ['A user booked the resource Projector', 'The reservation of resource Projector has been declined'],
  fr: ['Un utilisateur a réservé la ressource Projector', 'La réservation pour la ressource Projector a été refusée'],
  vi: ['Một người dùng đã đăng ký tài nguyên Projector', 'Việc đặt trước tài nguyên Projector đã bị từ chối'],
  ru: ['Пользователь забронировал ресурс Projector', 'Резервирование ресурса Projector был(а) отклонён(а)'],
};

describe('resource moderation emails', () => {
  for (const lang of MAIL_LANGUAGES) {
    it(`request and reply in ${lang}`, async () => {
      const request = await resourceRequestMail(deps(lang), { adminEmail: 'admin@example.com', resourceId: 'r1', resourceName: 'Projector', eventId: 'ev1.ics', ics: UPDATE_ICS });
      assert.equal(request.subject, subjects[lang]![0]);
      assert.equal(request.from, 'no-reply@example.com');
      assert.equal(request.calendar, undefined);
      const links = [...request.html.matchAll(/https:\/\/side\.example\.com\/calendar\/api\/resources\/r1\/ev1\.ics\/participation\?status=(\w+)&amp;referrer=email&amp;jwt=([\w.-]+)/g)];
      assert.deepEqual(links.map((l) => l[1]), ['ACCEPTED', 'DECLINED']);
      const claims = await jwt.verify(links[0]![2]!);
      assert.equal(claims?.resourceId, 'r1');
      assert.equal(claims?.eventId, 'ev1.ics');
      assert.ok(typeof claims?.exp === 'number');
      const reply = await resourceReplyMail(deps(lang), { organizerEmail: 'anne@example.com', resourceName: 'Projector', approved: false, ics: UPDATE_ICS });
      assert.equal(reply.subject, subjects[lang]![1]);
      for (const body of [request.html, request.text, reply.html, reply.text]) assert.doesNotMatch(body, /\{\{|!\{|#\{|undefined|introDeclined|statusDeclined/);
    });
  }

  it('a language the templates lack is English, dates included, and a malformed one does not throw', async () => {
    for (const language of ['de', 'en_US']) {
      const request = await resourceRequestMail(deps(language), { adminEmail: 'admin@example.com', resourceId: 'r1', resourceName: 'Projector', eventId: 'ev1.ics', ics: UPDATE_ICS });
      const reply = await resourceReplyMail(deps(language), { organizerEmail: 'anne@example.com', resourceName: 'Projector', approved: true, ics: UPDATE_ICS });
      for (const mail of [request, reply]) {
        assert.equal(mail.language, 'en', language);
        assert.match(mail.text, /Thursday, 02 October 2025/, `${mail.template} in ${language}`);
      }
    }
  });
});
