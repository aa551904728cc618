import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SMTPServer } from 'smtp-server';
import { SmtpMailer } from '../../src/mail/mailer.smtp.js';
import type { OutgoingMail } from '../../src/mail/mailer.js';

const logger = pino({ level: 'silent' });
const mail: OutgoingMail = { template: 'event-invite', from: 'anne@example.com', to: 'bob@example.com', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi', language: 'en' };

/** An SMTP server that answers DATA with the given codes in turn (250 once they run out). */
async function flakyServer(codes: number[]) {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _s, cb) {
      stream.resume();
      stream.on('end', () => {
        const code = codes.shift();
        if (code === undefined) {
          received++;
          cb();
        } else cb(Object.assign(new Error(`refused ${code}`), { responseCode: code }));
      });
    },
  });
  const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.server.address() as { port: number }).port)));
  return { port, received: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function mailer(port: number, registry: Registry) {
  return new SmtpMailer({ host: '127.0.0.1', port, helo: 'sidecal.test', username: undefined, password: undefined, ssl: false, starttls: false, trustAllCerts: false }, logger, { backoffMs: 5, attempts: 3, registry });
}

async function counted(registry: Registry, outcome: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'sidecal_mail_sent_total');
  return (metric?.values ?? []).filter((v) => v.labels.outcome === outcome).reduce((s, v) => s + v.value, 0);
}

describe('SMTP mailer', () => {
  it('retries a transient 451 and delivers', async () => {
    const server = await flakyServer([451, 451]);
    const registry = new Registry();
    try {
      await mailer(server.port, registry).send(mail);
      assert.equal(server.received(), 1);
      assert.equal(await counted(registry, 'transient_retry'), 2);
      assert.equal(await counted(registry, 'sent'), 1);
    } finally {
      await server.close();
    }
  });

  it('rejects a permanent 550 at once and counts it', async () => {
    const server = await flakyServer([550]);
    const registry = new Registry();
    try {
      await assert.rejects(mailer(server.port, registry).send(mail), /550|refused/);
      assert.equal(server.received(), 0);
      assert.equal(await counted(registry, 'failed'), 1);
      assert.equal(await counted(registry, 'transient_retry'), 0);
    } finally {
      await server.close();
    }
  });

  it('gives up after the attempts when the server is down', async () => {
    const server = await flakyServer([]);
    await server.close();
    const registry = new Registry();
    await assert.rejects(mailer(server.port, registry).send(mail));
    assert.equal(await counted(registry, 'failed'), 1);
    assert.equal(await counted(registry, 'transient_retry'), 2);
  });
});
