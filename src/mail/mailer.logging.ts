import type { Logger } from 'pino';
import type { Mailer, OutgoingMail } from './mailer.js';

/** Embedded mode (no `smtp.host`): the mail is recorded in the log, without its body, instead of being sent. */
export class LoggingMailer implements Mailer {
  constructor(private readonly logger: Logger) {}

  async send(mail: OutgoingMail): Promise<void> {
    this.logger.info(
      { template: mail.template, from: mail.from, to: mail.to, subject: mail.subject, language: mail.language, method: mail.calendar?.method },
      'email not sent (no smtp.host)',
    );
  }
}
