/**
 * Rendered iTIP emails per second (issue #8 target: 500/s for every type): the full composition of each mail (ICS
 * parse, event model, excal JWTs for invite/update, pug HTML + text, i18n) in a rotating language, no SMTP.
 * Run: `node --import tsx bench/mail-render-bench.ts` (env: `N` mails per round, `ROUNDS`, `CONCURRENCY`).
 *
 * Two modes per type: one mail at a time (latency-bound) and `CONCURRENCY` mails in flight, as the notification
 * consumer runs them (AMQP prefetch, 16 by default). Each figure is the median of `ROUNDS` rounds; the process CPU time
 * per mail (all threads, so the signing pool included) is printed too, as it does not depend on other load.
 * Every mail of a run has its own event times (shifted by 7 h 1 min each), so the time-zone and date caches start cold
 * for each; `SAME_TIMES=1` renders the fixtures' times every time instead (many recipients of one event).
 */
import { composeItipMail } from '../src/mail/itip-mail-composer.js';
import { parseItipNotification, type ItipNotification } from '../src/mail/itip-notification.js';
import { TemplateRenderer } from '../src/mail/template-renderer.js';
import { cancelMessage, counterMessage, inviteMessage, replyMessage, testJwt, updateMessage } from '../test/mail/fixtures.js';

const TARGET = 500;
const LANGS = ['en', 'fr', 'vi', 'ru'];
const N = Number(process.env.N ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);

const renderer = new TemplateRenderer('templates');
const jwt = testJwt();
const depsByLang = new Map(LANGS.map((lang) => [lang, {
  renderer, jwt, spaCalendarUrl: 'https://calendar.example.com', spaExcalUrl: 'https://excal.example.com',
  settings: { lookup: async () => ({ internal: true, fullName: 'Bob Durand', language: lang, timezone: 'Europe/Paris' }) },
}]));

// Invite and update sign three RS256 excal tokens each; cancel, reply and counter carry no participation links.
const fixtures: Record<string, unknown[]> = {
  invite: [inviteMessage()],
  update: [updateMessage()],
  cancel: [cancelMessage()],
  reply: ['ACCEPTED', 'DECLINED', 'TENTATIVE'].map((p) => replyMessage(p)),
  counter: [counterMessage()],
};
fixtures.mixed = Object.values(fixtures).map((list) => list[0]);

const SHIFT_MS = 7 * 3_600_000 + 60_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** The message with every ICS and esn-sabre date-time moved by `k` shifts (JSON round trip: strings only). */
function shifted(message: unknown, k: number): ItipNotification {
  const move = (y: string, mo: string, d: string, h: string, mi: string, s: string) =>
    new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + k * SHIFT_MS);
  const json = JSON.stringify(message)
    .replace(/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/g, (_m, ...p: string[]) => {
      const t = move(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!);
      return `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}`;
    })
    .replace(/(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/g, (_m, ...p: string[]) => {
      const t = move(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!);
      return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
    });
  return parseItipNotification(JSON.parse(json));
}

let nextShift = 1;
/** `n` messages cycling through a type's fixtures, each with times no other run has used (unless SAME_TIMES). */
function messagesFor(name: string, n: number): ItipNotification[] {
  const list = fixtures[name]!;
  return Array.from({ length: n }, (_, i) => shifted(list[i % list.length], process.env.SAME_TIMES ? 0 : nextShift++));
}

interface Sample { perSecond: number; cpuUsPerMail: number }

/** `n` mails, `concurrency` at a time; each worker takes the next index, so the rotation is the same in both modes. */
async function run(messages: ItipNotification[], n: number, concurrency: number): Promise<Sample> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const mail = await composeItipMail(messages[i % messages.length]!, depsByLang.get(LANGS[i % LANGS.length]!)!);
      if (!mail) throw new Error('no mail composed');
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { perSecond: (n * 1000) / elapsed, cpuUsPerMail: (used.user + used.system) / n };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Warm-up: template compilation, Intl formatters, JIT (on times the measured runs do not use).
for (const name of Object.keys(fixtures)) await run(messagesFor(name, 200), 200, 1);

const results: Record<string, { sequential: number; concurrent: number; cpuUsPerMail: number }> = {};
for (const name of Object.keys(fixtures)) {
  const seq: Sample[] = [];
  const par: Sample[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    seq.push(await run(messagesFor(name, N), N, 1));
    par.push(await run(messagesFor(name, N), N, CONCURRENCY));
  }
  results[name] = {
    sequential: Math.round(median(seq.map((s) => s.perSecond))),
    concurrent: Math.round(median(par.map((s) => s.perSecond))),
    cpuUsPerMail: Math.round(median([...seq, ...par].map((s) => s.cpuUsPerMail))),
  };
}

const ratio = (x: number) => (x / TARGET).toFixed(2);
for (const [name, r] of Object.entries(results)) {
  // eslint-disable-next-line no-console
  console.log(`${name.padEnd(8)} one at a time ${String(r.sequential).padStart(5)}/s (${ratio(r.sequential)}× target) | ` +
    `${CONCURRENCY} in flight ${String(r.concurrent).padStart(5)}/s (${ratio(r.concurrent)}× target) | ${r.cpuUsPerMail} µs CPU/mail`);
}
const worst = Math.min(...Object.values(results).map((r) => r.sequential));
// eslint-disable-next-line no-console
console.log(JSON.stringify({ bench: 'mail-render', target: TARGET, rounds: ROUNDS, n: N, concurrency: CONCURRENCY, sameTimes: Boolean(process.env.SAME_TIMES), results,
  worstSequentialRatio: Number(ratio(worst)), met: worst >= TARGET }));
