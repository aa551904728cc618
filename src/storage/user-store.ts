/**
 * OpenPaaS user profiles (the shared `users` collection): the users esn-sabre knows.
 * Guarantees: usernames (emails) are stored and matched lower-case; `add` needs the email's domain to exist
 * (DomainNotFoundError) and fails with UserConflictError when the email is taken, also under concurrent adds;
 * `update` of an unknown id is UserNotFoundError, to another user's email UserConflictError; `delete` is idempotent;
 * unknown or malformed ids resolve to undefined; fields written by OpenPaaS that sidecal does not model are preserved.
 */
export interface OpenPaaSUser {
  id: string;
  username: string;
  firstname: string;
  lastname: string;
  domainId: string;
}

export interface UserStore {
  add(username: string, firstname?: string, lastname?: string): Promise<OpenPaaSUser>;
  retrieveById(id: string): Promise<OpenPaaSUser | undefined>;
  retrieveByUsername(username: string): Promise<OpenPaaSUser | undefined>;
  update(id: string, username: string, firstname: string, lastname: string): Promise<OpenPaaSUser>;
  delete(username: string): Promise<void>;
  list(): Promise<OpenPaaSUser[]>;
  listByDomain(domainId: string): Promise<OpenPaaSUser[]>;
  /** Case-insensitive prefix match on email, firstname, lastname and each word of the firstname, within one domain. */
  search(domainId: string, query: string, limit: number): Promise<OpenPaaSUser[]>;
}

export function fullName(u: Pick<OpenPaaSUser, 'firstname' | 'lastname'>): string {
  return `${u.firstname} ${u.lastname}`.trim();
}

export function firstnamesOf(firstname: string): string[] {
  return firstname
    .split(/\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
