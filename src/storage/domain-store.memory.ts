import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { DomainAlreadyExistsError } from '../core/errors.js';
import { newObjectIdHex } from '../core/ids.js';
import type { Domain, DomainStore } from './domain-store.js';

export class MemoryDomainStore implements DomainStore {
  private readonly byName = new Map<string, Domain>();

  constructor(private readonly clock: Clock = systemClock) {}

  async add(name: string): Promise<Domain> {
    const key = name.toLowerCase();
    if (this.byName.has(key)) throw new DomainAlreadyExistsError(key);
    const domain = { id: newObjectIdHex(this.clock.now()), name: key };
    this.byName.set(key, domain);
    return { ...domain };
  }

  async retrieveById(id: string): Promise<Domain | undefined> {
    for (const d of this.byName.values()) if (d.id === id.toLowerCase()) return { ...d };
    return undefined;
  }

  async retrieveByName(name: string): Promise<Domain | undefined> {
    const d = this.byName.get(name.toLowerCase());
    return d && { ...d };
  }

  async list(): Promise<Domain[]> {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name)).map((d) => ({ ...d }));
  }

  async delete(name: string): Promise<void> {
    this.byName.delete(name.toLowerCase());
  }
}
