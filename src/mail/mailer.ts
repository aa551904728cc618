/**
 * The outgoing-mail port. Adapters: SMTP (`mailer.smtp.ts`, nodemailer) and a logging sink (`mailer.logging.ts`) used
 * when `smtp.host` is not set (embedded mode).
 *
 * Guarantees of every adapter:
 * - `send` resolves once the mail is accepted (or, for the logging sink, recorded in the log) and rejects otherwise:
 *   a mail is never silently dropped, so a bus consumer that awaits it gets the message retried or dead-lettered.
 * - Transient SMTP failures (connection errors, 4xx replies) are retried with backoff before rejecting.
 * - Bodies and the ICS are never logged, only recipients, subject and language.
 */
export interface OutgoingMail {
  /** Envelope MAIL FROM and the `From` header address. */
  from: string;
  /** `From` display name (OpenPaaS full name), when known. */
  fromName?: string;
  to: string;
  toName?: string;
  subject: string;
  html: string;
  text: string;
  /** Language actually used (Content-Language). */
  language: string;
  /** iTIP part: `text/calendar; method=…` alternative plus a `meeting.ics` attachment, both the ICS as received. */
  calendar?: { method: string; ics: string };
  /** Template name, for logs and metrics. */
  template: string;
  /** Images the HTML shows by `cid:` (import reports: the logo, `Content-ID: <logo>`), as `multipart/related` parts. */
  inlineImages?: InlineImage[];
  /** `Auto-Submitted: auto-generated` (RFC 3834): mails no person wrote, so that auto-responders stay silent. */
  autoSubmitted?: boolean;
}

export interface InlineImage {
  cid: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** `mail.imip.recipient.whitelist`: an empty list allows everyone; otherwise only the listed addresses (any case). */
export function isWhitelisted(whitelist: readonly string[], recipient: string): boolean {
  if (whitelist.length === 0) return true;
  const r = recipient.trim().toLowerCase();
  return whitelist.some((w) => w.trim().toLowerCase() === r);
}
