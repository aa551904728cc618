import type { Collection, Db, ObjectId } from 'mongodb';
import {
  DOMAIN_SETTING_FIELDS,
  parseDomainSettings,
  type DomainSettings,
  type DomainSettingsPatch,
  type DomainSettingsStore,
} from './domain-settings-store.js';

interface DomainSettingsDoc {
  _id?: ObjectId;
  domain: string;
  [field: string]: unknown;
}

/** The `domain_settings` collection (storage.md): one document per domain name, unique on `domain`. */
export class MongoDomainSettingsStore implements DomainSettingsStore {
  private readonly col: Collection<DomainSettingsDoc>;

  constructor(db: Db) {
    this.col = db.collection<DomainSettingsDoc>('domain_settings');
  }

  async init(): Promise<void> {
    await this.col.createIndex({ domain: 1 }, { unique: true });
  }

  async retrieve(domain: string): Promise<DomainSettings> {
    return parseDomainSettings(await this.col.findOne({ domain: domain.toLowerCase() }));
  }

  /** Replace semantics: `$set` the present fields, `$unset` the others (one upsert, so no read-modify-write race). */
  save(domain: string, settings: DomainSettings): Promise<void> {
    const patch: DomainSettingsPatch = {};
    for (const field of DOMAIN_SETTING_FIELDS) (patch as Record<string, unknown>)[field] = settings[field] ?? null;
    return this.patch(domain, patch);
  }

  async patch(domain: string, patch: DomainSettingsPatch): Promise<void> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    for (const field of DOMAIN_SETTING_FIELDS) {
      if (!(field in patch) || patch[field] === undefined) continue;
      if (patch[field] === null) unset[field] = '';
      else set[field] = patch[field];
    }
    if (Object.keys(set).length === 0 && Object.keys(unset).length === 0) return;
    const update: Record<string, unknown> = {};
    if (Object.keys(set).length > 0) update.$set = set;
    if (Object.keys(unset).length > 0) update.$unset = unset;
    await this.col.updateOne({ domain: domain.toLowerCase() }, update, { upsert: true });
  }
}
