import type { AlarmEntry } from './alarm-store.js';

/** Sends the `event-alarm` email (the mail pipeline implements it). */
export interface AlarmMailer {
  sendAlarm(input: { entry: AlarmEntry; recipient: string; language: string; timezone: string; now: Date }): Promise<void>;
}

/** A user's alarm-related settings: `calendar.alarmEmails` (unset = enabled), `core.language`, `core.datetime.timeZone`. */
export interface AlarmSettings {
  forUser(email: string): Promise<{ alarmEmails: boolean; language: string; timezone: string }>;
}

/** Reads a calendar object from esn-sabre as its owner; undefined when it is gone (404). */
export interface CalendarObjectSource {
  fetch(ownerEmail: string, eventPath: string): Promise<string | undefined>;
}

/** Settings from the configured defaults only (embedded mode, or before a settings store is wired). */
export function defaultAlarmSettings(defaults: { language: string; timezone: string }): AlarmSettings {
  return { forUser: async () => ({ alarmEmails: true, language: defaults.language, timezone: defaults.timezone }) };
}

/**
 * Settings from the user's stored configuration (spec events-mail.md 2.5), one settings read per user: language, a
 * usable time zone and `calendar.alarmEmails`, each falling back to the defaults (ConfigurationService.mailPreferences).
 */
export function storedAlarmSettings(deps: {
  users: { retrieveByUsername(email: string): Promise<{ id: string; domainId: string } | undefined> };
  settings: { mailPreferences(owner: { userId: string; domainId: string }): Promise<{ alarmEmails: boolean; language: string; timezone: string }> };
  defaults: { language: string; timezone: string };
}): AlarmSettings {
  return {
    forUser: async (email) => {
      const user = await deps.users.retrieveByUsername(email);
      if (!user) return { alarmEmails: true, language: deps.defaults.language, timezone: deps.defaults.timezone };
      return deps.settings.mailPreferences({ userId: user.id, domainId: user.domainId });
    },
  };
}
