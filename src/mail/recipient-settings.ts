import type { ConfigurationService } from '../settings/configuration-service.js';
import { fullName, type UserStore } from '../storage/user-store.js';

export interface Recipient {
  /** Known OpenPaaS user: gets "See in Calendar" and their own settings. */
  internal: boolean;
  fullName: string;
  language: string;
  timezone: string;
}

/**
 * Who a mail address is and how to write to them. Guarantees: an unknown address resolves `{internal: false}` with the
 * defaults (callers substitute the organizer's language and the event's zone, the README stance); a known user resolves
 * `core.language` / `core.datetime.timeZone`, else `default.language` / `default.timezone`. A stored time zone that
 * does not exist is the default too: the mail's dates could not be written in it. Never throws for an unknown address.
 */
export interface RecipientSettings {
  lookup(email: string): Promise<Recipient>;
}

export function recipientSettings(deps: {
  users: UserStore;
  defaults: { language: string; timezone: string };
  /** The user settings service; without it every user gets the defaults. */
  settings?: ConfigurationService;
}): RecipientSettings {
  return {
    async lookup(email) {
      const user = await deps.users.retrieveByUsername(email.toLowerCase());
      if (!user) return { internal: false, fullName: '', language: deps.defaults.language, timezone: deps.defaults.timezone };
      const prefs = deps.settings ? await deps.settings.mailPreferences({ userId: user.id, domainId: user.domainId }) : deps.defaults;
      return { internal: true, fullName: fullName(user), language: prefs.language, timezone: prefs.timezone };
    },
  };
}
