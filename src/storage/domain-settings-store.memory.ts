import { applyDomainSettingsPatch, parseDomainSettings, type DomainSettings, type DomainSettingsPatch, type DomainSettingsStore } from './domain-settings-store.js';

/** In-memory domain settings, through the same parse and patch rules as MongoDB. */
export class MemoryDomainSettingsStore implements DomainSettingsStore {
  private readonly byDomain = new Map<string, DomainSettings>();

  async retrieve(domain: string): Promise<DomainSettings> {
    return parseDomainSettings(this.byDomain.get(domain.toLowerCase()) as Record<string, unknown> | undefined);
  }

  async save(domain: string, settings: DomainSettings): Promise<void> {
    this.byDomain.set(domain.toLowerCase(), parseDomainSettings({ ...settings }));
  }

  async patch(domain: string, patch: DomainSettingsPatch): Promise<void> {
    this.byDomain.set(domain.toLowerCase(), applyDomainSettingsPatch(await this.retrieve(domain), patch));
  }
}
