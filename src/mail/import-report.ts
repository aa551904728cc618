import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  /** The PNG shown at the top of the report (`cid:logo`), from `<mail.template.location>/_layout/logo.png`. */
  logo?: Buffer;
}

/** Reads `<templates>/_layout/logo.png` (replaceable with the templates); undefined when the folder has none. */
export function readMailLogo(templateLocation: string): Buffer | undefined {
  const file = join(resolve(templateLocation.replace(/^file:\/\//, '')), '_layout', 'logo.png');
  return existsSync(file) ? readFileSync(file) : undefined;
}

/**
 * The import report mail (spec events-mail.md 3.4 §7), sent to the importing user in their language when a detached
 * import ends. Not subject to the iMIP whitelist. A failure is logged, never thrown: the import itself succeeded.
 * Failed items are passed as plain objects so the template can list them (the reference's list rendered blank). The
 * logo travels inline (`Content-ID: <logo>`, as the spec gives) so that it shows without loading remote images.
 */
export function importReportListener(deps: ImportReportDeps): ImportListener {
  return async (username, result) => {
    const template = result.kind === 'calendar' ? 'import-calendar' : 'import-contacts';
    try {
      const recipient = await deps.settings.lookup(username);
      const failed = result.failed.map((f) => ('email' in f ? f.email : `${f.uid} - ${f.summary} - ${f.start} / ${f.end}`));
      const appUrl = result.kind === 'calendar' ? deps.spaCalendarUrl : deps.spaContactsUrl;
      const rendered = deps.renderer.render(template, recipient.language, { succeedCount: result.succeedCount, failedCount: failed.length, failed, appUrl, hasLogo: deps.logo !== undefined });
      await deps.mailer.send({
        template, from: deps.sender, to: username, ...(recipient.fullName ? { toName: recipient.fullName } : {}), ...rendered, autoSubmitted: true,
        ...(deps.logo ? { inlineImages: [{ cid: 'logo', filename: 'logo.png', contentType: 'image/png', content: deps.logo }] } : {}),
      });
    } catch (err) {
      deps.logger.error({ err, template, succeedCount: result.succeedCount, failedCount: result.failed.length }, 'import report email not sent');
    }
  };
}
