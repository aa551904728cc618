import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { SmtpConfig } from '../config/config-types.js';
import type { Mailer, OutgoingMail } from './mailer.js';

export interface SmtpMailerOptions {
  /** Attempts for a transient failure, the first included. */
  attempts?: number;
  /** First backoff; doubled after each transient failure. */
  backoffMs?: number;
  registry?: Registry;
}

/**
 * nodemailer over `smtp.*` (spec events-mail.md 3.1 "SMTP"). A fresh connection per mail (no pool), like the reference,
 * so a dead server is noticed on the next mail rather than on a stale pooled socket.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly sent: Counter<'template' | 'outcome'>;

  constructor(
    smtp: SmtpConfig,
    private readonly logger: Logger,
    options: SmtpMailerOptions = {},
  ) {
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      name: smtp.helo,
      secure: smtp.ssl,
      requireTLS: smtp.starttls,
      ignoreTLS: !smtp.ssl && !smtp.starttls,
      tls: { rejectUnauthorized: !smtp.trustAllCerts },
      ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
    });
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
    this.sent = new Counter({
      name: 'sidecal_mail_sent_total',
      help: 'Emails handed to SMTP, by template and outcome (sent, transient_retry, failed)',
      labelNames: ['template', 'outcome'],
      registers: options.registry ? [options.registry] : [],
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const message = toNodemailer(mail);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transport.sendMail(message);
        this.sent.inc({ template: mail.template, outcome: 'sent' });
        return;
      } catch (err) {
        const transient = isTransient(err);
        const log = { err: summary(err), template: mail.template, to: mail.to, attempt };
        if (!transient || attempt >= this.attempts) {
          this.sent.inc({ template: mail.template, outcome: 'failed' });
          this.logger.error(log, transient ? 'email failed after retries' : 'email rejected permanently');
          throw err;
        }
        this.sent.inc({ template: mail.template, outcome: 'transient_retry' });
        this.logger.warn(log, 'email failed transiently, retrying');
        await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)));
      }
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** 4xx replies and connection-level errors are worth retrying; 5xx replies are final. */
function isTransient(err: unknown): boolean {
  const code = (err as { responseCode?: unknown }).responseCode;
  if (typeof code === 'number') return code >= 400 && code < 500;
  return true;
}

/** The error without the message body nodemailer may attach. */
function summary(err: unknown) {
  const e = err as { message?: string; code?: string; responseCode?: number };
  return { message: e.message, code: e.code, responseCode: e.responseCode };
}

function address(addr: string, name: string | undefined) {
  return name ? { name, address: addr } : addr;
}

function toNodemailer(mail: OutgoingMail): SendMailOptions {
  const domain = mail.from.split('@')[1] ?? 'sidecal';
  return {
    from: address(mail.from, mail.fromName),
    to: address(mail.to, mail.toName),
    envelope: { from: mail.from, to: [mail.to] },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: `<${randomUUID()}@${domain}>`,
    headers: { 'Content-Language': mail.language, ...(mail.autoSubmitted ? { 'Auto-Submitted': 'auto-generated' } : {}) },
    // Mail clients show accept/decline controls from the text/calendar alternative; the attachment is for the rest.
    ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, content: mail.calendar.ics } } : {}),
    attachments: [
      ...(mail.calendar ? [{ filename: 'meeting.ics', content: mail.calendar.ics, contentType: 'application/ics' }] : []),
      // A cid attachment is sent inline, in a multipart/related around the HTML.
      ...(mail.inlineImages ?? []).map((i) => ({ filename: i.filename, content: i.content, contentType: i.contentType, cid: i.cid, contentDisposition: 'inline' as const })),
    ],
  };
}
