/**
 * Read-only auto-complete over the Twake Mail contact indices (storage.md 3.7). Twake Mail writes them; sidecal only
 * reads (and creates the indices if absent so that a fresh deployment answers empty rather than failing).
 * Guarantees: a contact is visible to a requester when it is in their own user index (`accountId` = username) or in
 * their domain's index (`domain`); a query containing `@` matches on the email, otherwise on email, firstname or surname
 * (prefix, case-insensitive); at most `limit` results; duplicates on lower-case `email:fullName` are dropped; emails
 * are lower-cased; `id` is the contact UUID.
 */
export interface Contact {
  id: string;
  email: string;
  firstname: string;
  surname: string;
}

export interface ContactSearchEngine {
  autoComplete(requester: { username: string; domain: string }, query: string, limit: number): Promise<Contact[]>;
}

export function contactFullName(c: Pick<Contact, 'firstname' | 'surname'>): string {
  return `${c.firstname} ${c.surname}`.trim();
}

export function dedupeContacts(contacts: Contact[]): Contact[] {
  const seen = new Set<string>();
  const out: Contact[] = [];
  for (const c of contacts) {
    const email = c.email.toLowerCase();
    const key = `${email}:${contactFullName(c).toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...c, email });
  }
  return out;
}
