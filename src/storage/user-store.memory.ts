import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { DomainNotFoundError, UserConflictError, UserNotFoundError } from '../core/errors.js';
import { newObjectIdHex } from '../core/ids.js';
import { domainOf } from '../core/names.js';
import type { DomainStore } from './domain-store.js';
import { firstnamesOf, type OpenPaaSUser, type UserStore } from './user-store.js';

export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, OpenPaaSUser>();

  constructor(
    private readonly domains: DomainStore,
    private readonly clock: Clock = systemClock,
  ) {}

  async add(username: string, firstname?: string, lastname?: string): Promise<OpenPaaSUser> {
    const email = username.toLowerCase();
    const domain = await this.domains.retrieveByName(domainOf(email));
    if (!domain) throw new DomainNotFoundError(domainOf(email));
    if ([...this.users.values()].some((u) => u.username === email)) throw new UserConflictError(email);
    const user = { id: newObjectIdHex(this.clock.now()), username: email, firstname: firstname ?? '', lastname: lastname ?? '', domainId: domain.id };
    this.users.set(user.id, user);
    return { ...user };
  }

  async retrieveById(id: string): Promise<OpenPaaSUser | undefined> {
    const u = this.users.get(id.toLowerCase());
    return u && { ...u };
  }

  async retrieveByUsername(username: string): Promise<OpenPaaSUser | undefined> {
    const email = username.toLowerCase();
    const u = [...this.users.values()].find((x) => x.username === email);
    return u && { ...u };
  }

  async update(id: string, username: string, firstname: string, lastname: string): Promise<OpenPaaSUser> {
    const current = this.users.get(id.toLowerCase());
    if (!current) throw new UserNotFoundError(id);
    const email = username.toLowerCase();
    const domain = await this.domains.retrieveByName(domainOf(email));
    if (!domain) throw new DomainNotFoundError(domainOf(email));
    if ([...this.users.values()].some((u) => u.username === email && u.id !== current.id)) throw new UserConflictError(email);
    const updated = { ...current, username: email, firstname, lastname, domainId: domain.id };
    this.users.set(current.id, updated);
    return { ...updated };
  }

  async delete(username: string): Promise<void> {
    const email = username.toLowerCase();
    for (const [id, u] of this.users) if (u.username === email) this.users.delete(id);
  }

  async list(): Promise<OpenPaaSUser[]> {
    return [...this.users.values()].map((u) => ({ ...u }));
  }

  async listByDomain(domainId: string): Promise<OpenPaaSUser[]> {
    return [...this.users.values()].filter((u) => u.domainId === domainId).map((u) => ({ ...u }));
  }

  async search(domainId: string, query: string, limit: number): Promise<OpenPaaSUser[]> {
    const q = query.toLowerCase();
    return [...this.users.values()]
      .filter((u) => u.domainId === domainId)
      .filter((u) => [u.username, u.firstname, u.lastname, ...firstnamesOf(u.firstname)].some((f) => f.toLowerCase().startsWith(q)))
      .slice(0, limit)
      .map((u) => ({ ...u }));
  }
}
