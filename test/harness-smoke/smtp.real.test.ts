import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import nodemailer from 'nodemailer';
import { startSmtpSink } from '../harness/smtp.js';

test('smtp sink: nodemailer sends, the sink captures and parses the message', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const transport = nodemailer.createTransport({
    host: sink.host,
    port: sink.port,
    secure: false,
    auth: { user: 'sidecal', pass: 'secret' },
  });
  t.after(() => transport.close());

  const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:smtp-smoke\r\nSUMMARY:Réunion\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
  await transport.sendMail({
    from: 'Sidecal <noreply@example.org>',
    to: ['alice@example.org', 'Bob <bob@example.org>'],
    subject: 'Invitation : Réunion équipe ✔',
    text: 'Bonjour, vous êtes invité.',
    html: '<p>Bonjour, vous êtes <b>invité</b>.</p>',
    icalEvent: { method: 'REQUEST', content: ics },
    attachments: [{ filename: 'notes.txt', content: 'pièce jointe' }],
  });

  const [msg] = await sink.waitFor(1, 5000);
  assert.ok(msg);
  assert.equal(msg.from, 'noreply@example.org');
  assert.deepEqual(msg.to.sort(), ['alice@example.org', 'bob@example.org']);
  assert.equal(msg.user, 'sidecal');
  assert.match(msg.raw, /^Subject: /m);

  const p = msg.parsed();
  assert.equal(p.subject, 'Invitation : Réunion équipe ✔');
  assert.equal(p.from, 'Sidecal <noreply@example.org>');
  assert.equal(p.textBody?.trim(), 'Bonjour, vous êtes invité.');
  assert.match(p.htmlBody ?? '', /<b>invité<\/b>/);
  const cal = p.leaves.find((l) => l.contentType === 'text/calendar');
  assert.ok(cal, `no text/calendar part in ${p.leaves.map((l) => l.contentType).join(', ')}`);
  assert.equal(cal.params.method, 'REQUEST');
  assert.match(cal.text(), /SUMMARY:Réunion/);
  const att = p.leaves.find((l) => /filename="?notes\.txt/.test(l.header('content-disposition') ?? ''));
  assert.equal(att?.text(), 'pièce jointe');

  await assert.rejects(sink.waitFor(2, 200), /expected 2 message\(s\) within 200 ms, got 1/);
});

test('smtp sink: a test process that never closes its sink still exits (a failing test does not hang)', async () => {
  const sinkModule = new URL('../harness/smtp.ts', import.meta.url).href;
  const script = `const { startSmtpSink } = await import(${JSON.stringify(sinkModule)}); const s = await startSmtpSink(); console.log('listening ' + s.port);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(timer);
  assert.match(out, /listening \d+/);
  assert.equal(code, 0, `the process was still running after 20 s (killed), output: ${out}`);
});
