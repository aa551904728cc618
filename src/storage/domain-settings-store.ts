/**
 * Per-domain settings (storage.md `domain_settings`): each field is optional; an absent field means "use the
 * configuration file", which the settings service resolves, not the store.
 * Guarantees:
 * - `retrieve` of a domain with nothing saved is `{}`; domain names are case-insensitive; domains are independent.
 * - `save` replaces: fields absent from the argument are cleared.
 * - `patch` sets the fields given a value, clears those given `null`, keeps the absent ones; an empty patch is a no-op.
 * - Stored values outside the known enums or types (written by hand or by another version) read as absent.
 */
export type UserSearchMode = 'enabled' | 'limited' | 'disabled';
export type PublicVisibility = 'private' | 'read';

export const USER_SEARCH_MODES: readonly UserSearchMode[] = ['enabled', 'limited', 'disabled'];
export const PUBLIC_VISIBILITIES: readonly PublicVisibility[] = ['private', 'read'];

export interface DomainSettings {
  userSearchMode?: UserSearchMode;
  resourceSearchEnabled?: boolean;
  defaultCalendarPublicVisibility?: PublicVisibility;
  calendarPublicVisibilitySettingEnabled?: boolean;
}

/** A value sets the field, `null` clears it, an absent key keeps it. */
export type DomainSettingsPatch = { [K in keyof DomainSettings]?: DomainSettings[K] | null };

export interface DomainSettingsStore {
  retrieve(domain: string): Promise<DomainSettings>;
  save(domain: string, settings: DomainSettings): Promise<void>;
  patch(domain: string, patch: DomainSettingsPatch): Promise<void>;
}

export const DOMAIN_SETTING_FIELDS = ['userSearchMode', 'resourceSearchEnabled', 'defaultCalendarPublicVisibility', 'calendarPublicVisibilitySettingEnabled'] as const;

/** Keeps only well-typed fields of a stored record (anything else reads as absent). */
export function parseDomainSettings(raw: Record<string, unknown> | null | undefined): DomainSettings {
  const out: DomainSettings = {};
  if (!raw) return out;
  if (USER_SEARCH_MODES.includes(raw.userSearchMode as UserSearchMode)) out.userSearchMode = raw.userSearchMode as UserSearchMode;
  if (typeof raw.resourceSearchEnabled === 'boolean') out.resourceSearchEnabled = raw.resourceSearchEnabled;
  if (PUBLIC_VISIBILITIES.includes(raw.defaultCalendarPublicVisibility as PublicVisibility)) {
    out.defaultCalendarPublicVisibility = raw.defaultCalendarPublicVisibility as PublicVisibility;
  }
  if (typeof raw.calendarPublicVisibilitySettingEnabled === 'boolean') out.calendarPublicVisibilitySettingEnabled = raw.calendarPublicVisibilitySettingEnabled;
  return out;
}

/** The stored record after a patch (pure, shared by the adapters so they cannot drift). */
export function applyDomainSettingsPatch(current: DomainSettings, patch: DomainSettingsPatch): DomainSettings {
  const next: Record<string, unknown> = { ...current };
  for (const field of DOMAIN_SETTING_FIELDS) {
    if (!(field in patch) || patch[field] === undefined) continue;
    if (patch[field] === null) delete next[field];
    else next[field] = patch[field];
  }
  return next as DomainSettings;
}
