import { applyWrite, parseStoredModules, type ConfigModule, type ConfigOwner, type ConfigurationStore } from './configuration-store.js';

/** In-memory settings: the raw modules array per user, run through the same parse and write rules as MongoDB. */
export class MemoryConfigurationStore implements ConfigurationStore {
  private readonly docs = new Map<string, unknown[]>();

  async retrieve(owner: ConfigOwner): Promise<ConfigModule[]> {
    return parseStoredModules(structuredClone(this.docs.get(keyOf(owner))));
  }

  async replaceModules(owner: ConfigOwner, modules: ConfigModule[]): Promise<void> {
    this.docs.set(keyOf(owner), structuredClone(applyWrite(this.docs.get(keyOf(owner)), modules, 'replace')));
  }

  async mergeEntries(owner: ConfigOwner, modules: ConfigModule[]): Promise<void> {
    this.docs.set(keyOf(owner), structuredClone(applyWrite(this.docs.get(keyOf(owner)), modules, 'merge')));
  }

  async delete(owner: ConfigOwner): Promise<void> {
    this.docs.delete(keyOf(owner));
  }
}

function keyOf(owner: ConfigOwner): string {
  return `${owner.domainId.toLowerCase()}/${owner.userId.toLowerCase()}`;
}
