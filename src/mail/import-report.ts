import type { Logger } from 'pino';
import type { ImportListener } from '../calendar/import-service.js';
import type { Mailer } from './mailer.js';
import type { RecipientSettings } from './recipient-settings.js';
import type { TemplateRenderer } from './template-renderer.js';

export interface ImportReportDeps {
  mailer: Mailer;
  renderer: TemplateRenderer;
  settings: RecipientSettings;
  /** `mail.sender`. */
  sender: string;
  /** `spa.calendar.url` / `spa.contacts.url`, linked from the logo. */
  spaCalendarUrl: string;
  spaContactsUrl: string;
  logger: Logger;
}

/**
 * The import report mail (spec events-mail.md 3.4 §7), sent to the importing user in their language when a detached
 * import ends. Not subject to the iMIP whitelist. A failure is logged, never thrown: the import itself succeeded.
 * Failed items are passed as plain objects so the template can list them (the reference's list rendered blank).
 */
export function importReportListener(deps: ImportReportDeps): ImportListener {
  return async (username, result) => {
    const template = result.kind === 'calendar' ? 'import-calendar' : 'import-contacts';
    try {
      const recipient = await deps.settings.lookup(username);
      const failed = result.failed.map((f) => ('email' in f ? f.email : `${f.uid} - ${f.summary} - ${f.start} / ${f.end}`));
      const appUrl = result.kind === 'calendar' ? deps.spaCalendarUrl : deps.spaContactsUrl;
      const rendered = deps.renderer.render(template, recipient.language, { succeedCount: result.succeedCount, failedCount: failed.length, failed, appUrl });
      await deps.mailer.send({ template, from: deps.sender, to: username, ...(recipient.fullName ? { toName: recipient.fullName } : {}), ...rendered });
    } catch (err) {
      deps.logger.error({ err, template, succeedCount: result.succeedCount, failedCount: result.failed.length }, 'import report email not sent');
    }
  };
}
