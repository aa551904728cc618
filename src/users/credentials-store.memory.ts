import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { CredentialsStore } from './credentials-store.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** Node-local and lost on restart, as in the reference's non-LDAP mode. */
export class MemoryCredentialsStore implements CredentialsStore {
  readonly readOnly = false;
  private readonly hashes = new Map<string, { salt: Buffer; hash: Buffer }>();

  async upsert(username: string, password: string): Promise<void> {
    const salt = randomBytes(16);
    this.hashes.set(username.toLowerCase(), { salt, hash: await scrypt(password, salt, 32) });
  }

  async delete(username: string): Promise<void> {
    this.hashes.delete(username.toLowerCase());
  }

  async exists(username: string): Promise<boolean> {
    return this.hashes.has(username.toLowerCase());
  }

  async list(): Promise<string[]> {
    return [...this.hashes.keys()].sort();
  }

  async verify(username: string, password: string): Promise<boolean> {
    const entry = this.hashes.get(username.toLowerCase());
    if (!entry) return false;
    const candidate = await scrypt(password, entry.salt, 32);
    return timingSafeEqual(candidate, entry.hash);
  }
}
