/**
 * The James-style credential store behind `/users` on webadmin and Basic auth on the REST API.
 * Guarantees: usernames are lower-case emails; `upsert` creates or replaces the password; `delete` is idempotent;
 * `verify` is false for unknown users and wrong passwords alike; passwords are never stored in clear.
 * A read-only implementation (LDAP) throws ReadOnlyStoreError on writes.
 */
export interface CredentialsStore {
  readonly readOnly: boolean;
  upsert(username: string, password: string): Promise<void>;
  delete(username: string): Promise<void>;
  exists(username: string): Promise<boolean>;
  list(): Promise<string[]>;
  verify(username: string, password: string): Promise<boolean>;
}
