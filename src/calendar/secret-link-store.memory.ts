import type { CalendarRef, SecretLinkStore } from './secret-link-store.js';

export class MemorySecretLinkStore implements SecretLinkStore {
  private readonly byUser = new Map<string, string>();

  async get(userId: string, c: CalendarRef): Promise<string | undefined> {
    return this.byUser.get(key(userId, c));
  }

  async create(userId: string, c: CalendarRef, token: string): Promise<string> {
    const existing = this.byUser.get(key(userId, c));
    if (existing !== undefined) return existing;
    this.byUser.set(key(userId, c), token);
    return token;
  }

  async replace(userId: string, c: CalendarRef, token: string): Promise<void> {
    this.byUser.set(key(userId, c), token);
  }

  async ownerOf(c: CalendarRef, token: string): Promise<string | undefined> {
    for (const [k, t] of this.byUser) {
      const [userId, homeId, calendarId] = JSON.parse(k) as [string, string, string];
      if (t === token && homeId === c.homeId && calendarId === c.calendarId) return userId;
    }
    return undefined;
  }
}

function key(userId: string, c: CalendarRef): string {
  return JSON.stringify([userId, c.homeId, c.calendarId]);
}
