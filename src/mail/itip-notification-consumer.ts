import { NOTIFICATION_EMAIL_QUEUE, OTHER_DEAD_LETTER_SUFFIX } from '../events/topology.js';
import type { MessageBus, MessageHandler } from '../events/message-bus.js';
import { composeItipMail, type ItipComposerDeps } from './itip-mail-composer.js';
import { parseItipNotification } from './itip-notification.js';
import { isWhitelisted, type Mailer } from './mailer.js';

export interface ItipConsumerDeps extends ItipComposerDeps {
  mailer: Mailer;
  /** `mail.imip.recipient.whitelist`. */
  whitelist: readonly string[];
}

/**
 * Handler of `calendar:event:notificationEmail:send`. A recipient outside the whitelist, or a REQUEST without news, is
 * acked without mail. A malformed message or an unsupported method throws (dead-lettered, kept for inspection); a mail
 * the SMTP server refuses throws too, so the bus retries it then keeps it.
 */
export function itipNotificationHandler(deps: ItipConsumerDeps): MessageHandler {
  return async (message, log) => {
    const n = parseItipNotification(message.payload);
    if (!isWhitelisted(deps.whitelist, n.recipientEmail)) {
      log.info({ method: n.method }, 'iMIP recipient not whitelisted, no email');
      return;
    }
    const mail = await composeItipMail(n, deps);
    if (!mail) {
      log.debug({ method: n.method }, 'REQUEST without isNewEvent nor changes, no email');
      return;
    }
    await deps.mailer.send(mail);
    log.info({ template: mail.template, language: mail.language }, 'iMIP email sent');
  };
}

/** Subscribes the mail consumers on the bus (main.ts calls it once the bus exists). */
export async function registerMailConsumers(bus: MessageBus, deps: ItipConsumerDeps): Promise<void> {
  await bus.subscribe({
    exchange: NOTIFICATION_EMAIL_QUEUE.exchange,
    queue: NOTIFICATION_EMAIL_QUEUE.queue,
    deadLetterSuffix: OTHER_DEAD_LETTER_SUFFIX,
    handler: itipNotificationHandler(deps),
  });
}
