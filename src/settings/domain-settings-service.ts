import type { DomainSettingsDefaults } from '../config/config-types.js';
import type { DomainSettingsStore, PublicVisibility, UserSearchMode } from '../storage/domain-settings-store.js';

export interface ResolvedDomainSettings {
  userSearchMode: UserSearchMode;
  resourceSearchEnabled: boolean;
  defaultCalendarPublicVisibility: PublicVisibility;
  calendarPublicVisibilitySettingEnabled: boolean;
}

/**
 * Effective per-domain settings (rest-api.md 4.11, storage.md `domain_settings`): the value saved for the domain, else
 * the configuration file, else the built-in default (already folded into the config defaults).
 */
export class DomainSettingsService {
  constructor(
    private readonly store: DomainSettingsStore,
    private readonly defaults: DomainSettingsDefaults,
  ) {}

  async resolved(domain: string): Promise<ResolvedDomainSettings> {
    const saved = await this.store.retrieve(domain);
    const d = this.defaults;
    return {
      userSearchMode: saved.userSearchMode ?? this.configuredSearchMode(domain),
      resourceSearchEnabled: saved.resourceSearchEnabled ?? d.resourceSearchEnabled,
      defaultCalendarPublicVisibility: saved.defaultCalendarPublicVisibility ?? d.defaultCalendarPublicVisibility,
      calendarPublicVisibilitySettingEnabled: saved.calendarPublicVisibilitySettingEnabled ?? d.calendarPublicVisibilitySettingEnabled,
    };
  }

  /** A domain listed as disabled wins over limited, as in the reference's resolver. */
  private configuredSearchMode(domain: string): UserSearchMode {
    const lower = domain.toLowerCase();
    const listed = (list: string[]): boolean => list.some((x) => x.toLowerCase() === lower);
    if (listed(this.defaults.userSearchDisabledDomains)) return 'disabled';
    if (listed(this.defaults.userSearchLimitedDomains)) return 'limited';
    return 'enabled';
  }
}
