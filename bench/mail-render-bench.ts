/**
 * Rendered iTIP emails per second (target 500/s): the full composition of an invite (ICS parse, event model, three
 * excal JWTs, pug HTML + text, i18n) for a rotating language, no SMTP. Run: `node --import tsx bench/mail-render-bench.ts`.
 */
import { composeItipMail } from '../src/mail/itip-mail-composer.js';
import { parseItipNotification } from '../src/mail/itip-notification.js';
import { TemplateRenderer } from '../src/mail/template-renderer.js';
import { cancelMessage, counterMessage, inviteMessage, replyMessage, testJwt, updateMessage } from '../test/mail/fixtures.js';

const LANGS = ['en', 'fr', 'vi', 'ru'];
const deps = (lang: string) => ({
  renderer, jwt, spaCalendarUrl: 'https://calendar.example.com', spaExcalUrl: 'https://excal.example.com',
  settings: { lookup: async () => ({ internal: true, fullName: 'Bob Durand', language: lang, timezone: 'Europe/Paris' }) },
});
const renderer = new TemplateRenderer('templates');
const jwt = testJwt();
// Cancel, reply and counter carry no participation links; invite and update sign three RS256 tokens each.
const withoutLinks = [cancelMessage(), replyMessage('ACCEPTED'), counterMessage()].map(parseItipNotification);
const withLinks = [inviteMessage(), updateMessage()].map(parseItipNotification);

async function run(messages: ReturnType<typeof parseItipNotification>[], n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await composeItipMail(messages[i % messages.length]!, deps(LANGS[i % 4]!));
  return (n * 1000) / (performance.now() - started);
}

await run(withoutLinks, 200); // warm-up: template compilation, JIT
await run(withLinks, 20);
const n = Number(process.env.N ?? 3000);
const render = await run(withoutLinks, n);
const signed = await run(withLinks, Math.max(50, Math.floor(n / 20)));
console.log(JSON.stringify({ bench: 'mail-render', emailsPerSecond: Math.round(render), withExcalLinksPerSecond: Math.round(signed), target: 500 }));
