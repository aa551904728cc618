import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { composeItipMail, type ItipComposerDeps } from '../../src/mail/itip-mail-composer.js';
import { parseItipNotification } from '../../src/mail/itip-notification.js';
import { TemplateRenderer } from '../../src/mail/template-renderer.js';
import { cancelMessage, counterMessage, inviteMessage, replyMessage, testJwt, updateMessage } from './fixtures.js';

const jwt = testJwt();
const deps: ItipComposerDeps = {
  renderer: new TemplateRenderer('templates'), jwt, spaCalendarUrl: 'https://calendar.example.com', spaExcalUrl: 'https://excal.example.com',
  settings: { lookup: async () => ({ internal: true, fullName: 'Bob Durand', language: 'en', timezone: 'Europe/Paris' }) },
};
const tokensOf = (html: string) => [...html.matchAll(/https:\/\/excal\.example\.com\/excal\/\?jwt=([\w.-]+)/g)].map((m) => m[1]!);
const withEvent = (edit: (ics: string) => string) => {
  const m = inviteMessage();
  return parseItipNotification({ ...m, event: edit(m.event) });
};

describe('iTIP composer: excal links signed while the model is built', () => {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  before(() => process.on('unhandledRejection', listener));
  after(() => process.off('unhandledRejection', listener));

  it('links carry the organizer and uid as the event model reads them, and verify', async () => {
    const n = withEvent((ics) => ics.replace('ORGANIZER;CN=Anne Martin:mailto:anne@example.com', 'ORGANIZER;CN=Anne Martin:MAILTO:Anne@Example.com ').replace('UID:a0b5a363', 'UID: a0b5a363 '));
    const mail = await composeItipMail(n, deps);
    const tokens = tokensOf(mail!.html);
    assert.equal(tokens.length, 3);
    const claims = await Promise.all(tokens.map((t) => jwt.verify(t)));
    assert.deepEqual(claims.map((c) => [c?.action, c?.organizerEmail, c?.uid, c?.attendeeEmail]), [
      ['ACCEPTED', 'anne@example.com', 'a0b5a363', 'bob@example.com'],
      ['TENTATIVE', 'anne@example.com', 'a0b5a363', 'bob@example.com'],
      ['REJECTED', 'anne@example.com', 'a0b5a363', 'bob@example.com'],
    ]);
  });

  it('cancellations and replies are marked Auto-Submitted; invites, updates and counters (a person proposed them) are not', async () => {
    const flag = async (m: Record<string, unknown>) => (await composeItipMail(parseItipNotification(m), deps))?.autoSubmitted ?? false;
    assert.deepEqual(
      await Promise.all([cancelMessage(), replyMessage('ACCEPTED'), inviteMessage(), updateMessage(), counterMessage()].map(flag)),
      [true, true, false, false, false],
    );
  });

  it('an update carries links too; an invite without ORGANIZER none', async () => {
    assert.equal(tokensOf((await composeItipMail(parseItipNotification(updateMessage()), deps))!.html).length, 3);
    const orphan = withEvent((ics) => ics.replace(/ORGANIZER[^\r]*\r\n/, ''));
    assert.deepEqual(tokensOf((await composeItipMail(orphan, deps))!.html), []);
  });

  it('a broken event rejects with its own error while signing is under way, and leaves no unhandled rejection', async () => {
    const broken = withEvent((ics) => ics.replace(/DTSTART[^\r]*\r\n/, ''));
    await assert.rejects(composeItipMail(broken, deps), /VEVENT without DTSTART/);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the signatures complete meanwhile
    assert.deepEqual(unhandled, []);
  });

  it('a signing failure rejects the mail, also when the model fails too, and leaves no unhandled rejection', async () => {
    const failing = { sign: () => new Promise<string>((_r, reject) => setTimeout(() => reject(new Error('signing failed')), 5)) };
    const failingDeps = { ...deps, jwt: failing as unknown as ItipComposerDeps['jwt'] };
    await assert.rejects(composeItipMail(parseItipNotification(inviteMessage()), failingDeps), /signing failed/);
    await assert.rejects(composeItipMail(withEvent((ics) => ics.replace(/DTSTART[^\r]*\r\n/, '')), failingDeps), /VEVENT without DTSTART/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  });
});
