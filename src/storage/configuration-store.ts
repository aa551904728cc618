/**
 * User settings in the OpenPaaS esn-config form (the shared `configurations` collection): per user, a list of modules
 * (`core`, `linagora.esn.calendar`, other OpenPaaS apps…), each a list of `{name, value}` entries with any JSON value.
 * Guarantees:
 * - `retrieve` of a user with nothing stored is `[]`; entries come back with the value written (null, booleans, numbers,
 *   strings, objects, arrays); modules never hold two entries of one name; empty modules are not returned.
 * - Documents written by OpenPaaS are read; malformed parts (a module without name or `configurations` array, an entry
 *   without name or without a `value` key, a non-array `modules`) are skipped, never an error.
 * - `replaceModules` replaces each module it names wholesale and keeps every other module (other apps' settings).
 * - `mergeEntries` sets the given (module, key) entries and keeps every other entry and module.
 * - Writes to one user never touch another's settings; `delete` is idempotent.
 * The store is keyed by ids: resolving a username to its OpenPaaS user (UserNotFound) is the service's job.
 */
export interface ConfigEntry {
  name: string;
  value: unknown;
}

export interface ConfigModule {
  name: string;
  configurations: ConfigEntry[];
}

export interface ConfigOwner {
  userId: string;
  domainId: string;
}

export interface ConfigurationStore {
  retrieve(owner: ConfigOwner): Promise<ConfigModule[]>;
  replaceModules(owner: ConfigOwner, modules: ConfigModule[]): Promise<void>;
  mergeEntries(owner: ConfigOwner, modules: ConfigModule[]): Promise<void>;
  delete(owner: ConfigOwner): Promise<void>;
}

/** Groups a request's modules by name (a module named twice is one module) and keeps the last value of a repeated key. */
export function normalizeModules(modules: readonly ConfigModule[]): ConfigModule[] {
  const byName = new Map<string, Map<string, unknown>>();
  for (const m of modules) {
    const entries = byName.get(m.name) ?? new Map<string, unknown>();
    for (const e of m.configurations) {
      entries.delete(e.name);
      entries.set(e.name, e.value);
    }
    byName.set(m.name, entries);
  }
  return [...byName].map(([name, entries]) => ({ name, configurations: [...entries].map(([key, value]) => ({ name: key, value })) }));
}

/** Reads raw `modules` as stored by anyone, skipping what does not have the OpenPaaS shape. */
export function parseStoredModules(raw: unknown): ConfigModule[] {
  if (!Array.isArray(raw)) return [];
  const out: ConfigModule[] = [];
  for (const m of raw) {
    if (!isModuleShaped(m)) continue;
    const configurations = (m.configurations as unknown[]).filter(isEntryShaped).map((e) => ({ name: e.name, value: e.value ?? null }));
    out.push({ name: m.name, configurations });
  }
  return normalizeModules(out).filter((m) => m.configurations.length > 0);
}

export function isModuleShaped(m: unknown): m is { name: string; configurations: unknown[] } {
  return typeof m === 'object' && m !== null && typeof (m as { name?: unknown }).name === 'string' && Array.isArray((m as { configurations?: unknown }).configurations);
}

function isEntryShaped(e: unknown): e is { name: string; value: unknown } {
  return typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' && 'value' in e;
}

/**
 * The new raw `modules` after a write, computed from the stored raw array so that parts sidecal does not understand
 * (malformed entries of other modules, extra fields) are written back untouched.
 */
export function applyWrite(raw: unknown, modules: readonly ConfigModule[], mode: 'replace' | 'merge'): unknown[] {
  const current = Array.isArray(raw) ? [...(raw as unknown[])] : [];
  const incoming = normalizeModules(modules);
  if (mode === 'replace') {
    const names = new Set(incoming.map((m) => m.name));
    const kept = current.filter((m) => !(isModuleShaped(m) && names.has(m.name)));
    return [...kept, ...incoming.filter((m) => m.configurations.length > 0)];
  }
  for (const m of incoming) {
    const index = current.findIndex((c) => isModuleShaped(c) && c.name === m.name);
    if (index < 0) {
      current.push(m);
      continue;
    }
    const existing = current[index] as { name: string; configurations: unknown[] };
    const keys = new Set(m.configurations.map((e) => e.name));
    const others = existing.configurations.filter((e) => !(typeof e === 'object' && e !== null && keys.has((e as { name?: unknown }).name as string)));
    current[index] = { ...existing, configurations: [...others, ...m.configurations] };
  }
  return current;
}
