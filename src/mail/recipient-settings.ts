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
 * `core.language` / `core.datetime.timeZone`, else `default.language` / `default.timezone`. Never throws for an unknown
 * address.
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
      let language = deps.defaults.language;
      let timezone = deps.defaults.timezone;
      if (deps.settings) {
        const owner = { userId: user.id, domainId: user.domainId };
        const [core] = await deps.settings.read(owner, [{ name: 'core', keys: ['language'] }]);
        const stored = core?.configurations[0]?.value;
        if (typeof stored === 'string' && stored !== '') language = stored;
        timezone = await deps.settings.timezone(owner);
      }
      return { internal: true, fullName: fullName(user), language, timezone };
    },
  };
}
