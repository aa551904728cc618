import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSmtpSink } from '../harness/smtp.js';
import { startForTest } from '../support/sidecal.js';
import { inviteMessage } from './fixtures.js';

describe('mail wiring in main', () => {
  it('a notification published on the bus of a started sidecal reaches the SMTP server', async () => {
    const sink = await startSmtpSink();
    const s = await startForTest({ ...sink.env, MAIL_TEMPLATE_LOCATION: 'templates' });
    try {
      await s.bus.publish('calendar:event:notificationEmail:send', inviteMessage({ senderEmail: 'anne@outside.org', recipientEmail: 'carol@outside.org' }));
      const [mail] = await sink.waitFor(1);
      const parsed = mail!.parsed();
      assert.equal(mail!.from, 'anne@outside.org');
      assert.deepEqual(mail!.to, ['carol@outside.org']);
      // Both unknown to sidecal: default.language, and the links point at spa.excal.url.
      assert.equal(parsed.subject, 'New event from Anne Martin: Sprint review');
      assert.match(parsed.htmlBody ?? '', /http:\/\/excal\.test\/excal\/\?jwt=/);
    } finally {
      await s.close();
      await sink.close();
    }
  });
});
