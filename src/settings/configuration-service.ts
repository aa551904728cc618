import { resolveTimezone } from '../alarms/timezones.js';
import { BadRequestError } from '../core/errors.js';
import type { ConfigModule, ConfigOwner, ConfigurationStore } from '../storage/configuration-store.js';
import { knownSettings, storedEntry, type KnownSetting, type SettingsSources } from './known-settings.js';

export interface ModuleKeys {
  name: string;
  keys: string[];
}

/**
 * User settings as the SPAs see them: the known keys (rest-api.md 4.8) resolved against the stored values and the
 * configuration, plus whatever other OpenPaaS apps stored. Writes keep modules the request does not name.
 */
export class ConfigurationService {
  private readonly known: KnownSetting[];
  private readonly defaultTimezone: string;
  private readonly defaultLanguage: string;
  /** `module.key` names PATCH may not touch: with Twake Workplace on, the workplace owns the language. */
  private readonly readOnly: ReadonlySet<string>;

  constructor(
    private readonly store: ConfigurationStore,
    sources: SettingsSources & { twpSettingsEnabled?: boolean },
  ) {
    this.readOnly = new Set(sources.twpSettingsEnabled ? ['core.language'] : []);
    this.known = knownSettings(sources);
    this.defaultTimezone = sources.defaults.timezone;
    this.defaultLanguage = sources.defaults.language;
  }

  /** The full `configurations.modules` block of `GET /api/user`: every known key, in the documented order. */
  async allKnown(owner: ConfigOwner | undefined): Promise<ConfigModule[]> {
    const stored = owner ? await this.store.retrieve(owner) : [];
    const out: ConfigModule[] = [];
    for (const setting of this.known) {
      let module = out.find((m) => m.name === setting.module);
      if (!module) out.push((module = { name: setting.module, configurations: [] }));
      module.configurations.push({ name: setting.key, value: setting.resolve(storedEntry(stored, setting.module, setting.key)) });
    }
    return out;
  }

  /**
   * `POST /api/configurations`: every requested module and key is answered. A key sidecal does not know answers the
   * user's stored value, else null, like OpenPaaS (the reference asked the legacy OpenPaaS server, or failed with a 500).
   */
  async read(owner: ConfigOwner | undefined, request: readonly ModuleKeys[]): Promise<ConfigModule[]> {
    const stored = owner ? await this.store.retrieve(owner) : [];
    return request.map((m) => ({
      name: m.name,
      configurations: m.keys.map((key) => {
        const setting = this.known.find((s) => s.module === m.name && s.key === key);
        const entry = storedEntry(stored, m.name, key);
        return { name: key, value: setting ? setting.resolve(entry) : (entry?.value ?? null) };
      }),
    }));
  }

  /** The user's time zone: stored `core.datetime.timeZone`, else the default. */
  async timezone(owner: ConfigOwner): Promise<string> {
    return (await this.locale(owner)).timezone;
  }

  /** `core.language` and the time zone in one store read: stored values, else the defaults. */
  async locale(owner: ConfigOwner): Promise<{ language: string; timezone: string }> {
    const [core] = await this.read(owner, [{ name: 'core', keys: ['language', 'datetime'] }]);
    return this.localeOf(core);
  }

  /**
   * What writing an email to the user needs, in one store read: language, a time zone that resolves (a stored zone that
   * does not exist falls back to the default: dates cannot be written in it, and a mail in the default zone beats
   * none), and `calendar.alarmEmails` (boolean or "true"/"false"; unset = on).
   */
  async mailPreferences(owner: ConfigOwner): Promise<{ language: string; timezone: string; alarmEmails: boolean }> {
    const [core, calendar] = await this.read(owner, [{ name: 'core', keys: ['language', 'datetime'] }, { name: 'calendar', keys: ['alarmEmails'] }]);
    const { language, timezone } = this.localeOf(core);
    const alarm = calendar?.configurations[0]?.value;
    return { language, timezone: isKnownZone(timezone) ? timezone : this.defaultTimezone, alarmEmails: !(alarm === false || alarm === 'false') };
  }

  private localeOf(core: ConfigModule | undefined): { language: string; timezone: string } {
    const [language, datetime] = (core?.configurations ?? []).map((c) => c.value);
    const timeZone = (datetime as { timeZone?: unknown } | null | undefined)?.timeZone;
    return {
      language: typeof language === 'string' && language !== '' ? language : this.defaultLanguage,
      timezone: typeof timeZone === 'string' && timeZone !== '' ? timeZone : this.defaultTimezone,
    };
  }

  /** `PUT /api/configurations?scope=user`: the named modules are replaced; other modules (other apps) are kept. */
  replace(owner: ConfigOwner, modules: ConfigModule[]): Promise<void> {
    checkStorable(modules);
    return this.store.replaceModules(owner, modules);
  }

  /** `PATCH /api/configurations`: merged by (module, key) over what is stored; read-only keys refuse the whole patch. */
  async patch(owner: ConfigOwner, modules: ConfigModule[]): Promise<void> {
    const touched = new Set(modules.flatMap((m) => m.configurations.map((e) => `${m.name}.${e.name}`)).filter((k) => this.readOnly.has(k)));
    if (touched.size > 0) throw new BadRequestError(`Cannot modify read-only settings: ${[...touched].join(', ')}`);
    checkStorable(modules);
    await this.store.mergeEntries(owner, modules);
  }
}

/**
 * A setting value sits five levels down its `configurations` document and MongoDB nests documents 100 levels at most;
 * 64 is far beyond any setting the SPAs write.
 */
const MAX_VALUE_DEPTH = 64;

/**
 * Settings values are any JSON, but only JSON every store keeps as written: no object key MongoDB or BSON refuses
 * (`$`-prefixed, dotted, NUL) and no absurd nesting (which also overflowed the stack while storing). Refused with a 400
 * before anything is written; walked without recursion, so no value can overflow the stack here either.
 */
function checkStorable(modules: readonly ConfigModule[]): void {
  for (const m of modules) {
    for (const e of m.configurations) {
      const reason = unstorable(e.value);
      if (reason) throw new BadRequestError(`Invalid value for setting ${m.name}.${e.name}: ${reason}`);
    }
  }
}

function unstorable(value: unknown): string | undefined {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [v, depth] = next;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_VALUE_DEPTH) return `nested deeper than ${MAX_VALUE_DEPTH} levels`;
    if (Array.isArray(v)) {
      for (const item of v) pending.push([item, depth + 1]);
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      if (key.startsWith('$') || key.includes('.') || key.includes('\0')) return `key ${JSON.stringify(key)} may not start with $ nor contain . or NUL`;
      pending.push([item, depth + 1]);
    }
  }
  return undefined;
}

function isKnownZone(zone: string): boolean {
  try {
    resolveTimezone(zone);
    return true;
  } catch {
    return false;
  }
}
