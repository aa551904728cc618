import { contactFullName, dedupeContacts, type Contact, type ContactSearchEngine } from './people-contacts.js';

export type StoredContact = Contact & ({ accountId: string } | { domain: string });

/** In-memory contact indices (embedded mode and fast tests); `add` plays Twake Mail's part of writing them. */
export class MemoryContactSearchEngine implements ContactSearchEngine {
  private readonly contacts: StoredContact[] = [];

  add(contact: StoredContact): void {
    this.contacts.push(contact);
  }

  async autoComplete(requester: { username: string; domain: string }, query: string, limit: number): Promise<Contact[]> {
    const q = query.trim().toLowerCase();
    const visible = this.contacts.filter((c) =>
      'accountId' in c ? c.accountId.toLowerCase() === requester.username.toLowerCase() : c.domain.toLowerCase() === requester.domain.toLowerCase(),
    );
    const matches = visible.filter((c) => {
      if (q.includes('@')) return c.email.toLowerCase().includes(q);
      const words = [c.email, ...contactFullName(c).split(/\s+/)].map((w) => w.toLowerCase());
      return q === '' || words.some((w) => w.startsWith(q)) || c.email.toLowerCase().includes(q);
    });
    return dedupeContacts(matches.slice(0, limit).map(({ id, email, firstname, surname }) => ({ id, email, firstname, surname })));
  }
}
