import type { Clock } from '../core/clock.js';
import { newObjectIdHex } from '../core/ids.js';
import { ResourceNotFoundError, type NewResource, type Resource, type ResourcePatch, type ResourceStore } from './resource-store.js';

/** In-memory resources for the embedded mode and fast tests (same guarantees as the port). */
export class MemoryResourceStore implements ResourceStore {
  private readonly resources = new Map<string, Resource>();

  constructor(private readonly clock: Clock) {}

  async insert(r: NewResource): Promise<string> {
    const now = this.clock.now();
    const id = newObjectIdHex(now);
    this.resources.set(id, {
      id, name: r.name, description: r.description, type: 'resource', icon: r.icon, deleted: false, creator: r.creator,
      domainId: r.domainId, administrators: [...(r.administrators ?? [])], creation: now, updatedAt: now,
    });
    return id;
  }

  async findAll(): Promise<Resource[]> {
    return [...this.resources.values()].map(copy);
  }

  async findById(id: string): Promise<Resource | undefined> {
    const r = this.resources.get(id.toLowerCase());
    return r && copy(r);
  }

  async findByDomain(domainId: string): Promise<Resource[]> {
    return [...this.resources.values()].filter((r) => r.domainId === domainId).map(copy);
  }

  async update(id: string, patch: ResourcePatch): Promise<void> {
    const r = this.live(id);
    Object.assign(r, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), { updatedAt: this.clock.now() });
  }

  async softDelete(id: string): Promise<void> {
    this.live(id).deleted = true;
  }

  async search(domainId: string, keyword: string, limit: number): Promise<Resource[]> {
    const kw = keyword.trim().toLowerCase();
    return [...this.resources.values()]
      .filter((r) => r.domainId === domainId && !r.deleted && r.name.toLowerCase().includes(kw))
      .slice(0, Math.max(0, limit))
      .map(copy);
  }

  async exist(id: string, domainId: string): Promise<boolean> {
    const r = this.resources.get(id.toLowerCase());
    return r !== undefined && r.domainId === domainId && !r.deleted;
  }

  private live(id: string): Resource {
    const r = this.resources.get(id.toLowerCase());
    if (!r || r.deleted) throw new ResourceNotFoundError(id);
    return r;
  }
}

function copy(r: Resource): Resource {
  return { ...r, administrators: r.administrators.map((a) => ({ ...a })) };
}
