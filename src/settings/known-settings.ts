import type { UserDefaults } from '../config/config-types.js';
import { deepFreeze } from '../core/deep-freeze.js';
import type { ConfigModule } from '../storage/configuration-store.js';

/** What the SPAs get for a setting sidecal knows: the user's stored value (if any) decides, or the setting is fixed. */
export interface KnownSetting {
  module: string;
  key: string;
  /** `stored` is undefined when the user saved nothing for this key. */
  resolve(stored: { value: unknown } | undefined): unknown;
}

export interface SettingsSources {
  defaults: UserDefaults;
  davUrl: string;
  visioUrl: string;
}

// Fixed values and defaults are deeply frozen and shared by every response instead of cloned per request (cloning them
// was the largest single cost of `GET /api/user`); a caller that tried to modify one would throw, not leak the change.
const fixed = (module: string, key: string, value: unknown): KnownSetting => {
  const shared = deepFreeze(value);
  return { module, key, resolve: () => shared };
};
const stored = (module: string, key: string, fallback: unknown): KnownSetting => {
  const shared = deepFreeze(fallback);
  return { module, key, resolve: (s) => (s === undefined ? shared : s.value) };
};

/**
 * The locally known keys of rest-api.md 4.8, in the order `GET /api/user` lists them. Later names are used: the contact
 * module is `linagora.esn.contact`, and `calendar` holds alarmEmails (default true) and displayWeekNumbers.
 */
export function knownSettings(s: SettingsSources): KnownSetting[] {
  const d = s.defaults;
  return [
    fixed('core', 'davserver', { frontend: { url: s.davUrl }, backend: { url: s.davUrl } }),
    // OpenPaaS admin-only settings the SPAs read but sidecal never honours: always null, even after a PUT.
    fixed('core', 'allowDomainAdminToManageUserEmails', null),
    fixed('core', 'homePage', null),
    stored('core', 'language', d.language),
    stored('core', 'datetime', { timeZone: d.timezone, use24hourFormat: d.use24hFormat }),
    stored('core', 'businessHours', [{ start: d.businessHoursStart, end: d.businessHoursEnd, daysOfWeek: d.businessDays }]),
    fixed('linagora.esn.calendar', 'features', { isSharingCalendarEnabled: d.calendarSharing }),
    stored('linagora.esn.calendar', 'workingDays', null),
    stored('linagora.esn.calendar', 'hideDeclinedEvents', null),
    fixed('linagora.esn.videoconference', 'jitsiInstanceUrl', s.visioUrl),
    fixed('linagora.esn.videoconference', 'openPaasVideoconferenceAppUrl', s.visioUrl),
    fixed('linagora.esn.contact', 'features', {
      isVirtualFollowingAddressbookEnabled: false,
      isVirtualUserAddressbookEnabled: false,
      isSharingAddressbookEnabled: d.contactsSharing,
      isDomainMembersAddressbookEnabled: d.domainContacts,
    }),
    stored('calendar', 'alarmEmails', true),
    stored('calendar', 'displayWeekNumbers', true),
  ];
}

/** Looks a (module, key) up in the user's stored modules. */
export function storedEntry(modules: readonly ConfigModule[], module: string, key: string): { value: unknown } | undefined {
  const entry = modules.find((m) => m.name === module)?.configurations.find((e) => e.name === key);
  return entry && { value: entry.value };
}
