import type { Sidecal } from '../../src/main.js';
import { startForTest } from '../support/sidecal.js';

export const ADMIN = `Basic ${Buffer.from('admin@open-paas.org:adminpw').toString('base64')}`;

export function basic(username: string, password = 'pw'): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Starts sidecal on memory backends with `users` created in the credentials store through webadmin. */
export async function startWithUsers(users: string[], env: Record<string, string> = {}): Promise<Sidecal> {
  const s = await startForTest(env);
  for (const u of users) {
    const r = await s.webadmin!.inject({ method: 'PUT', url: `/users/${u}`, payload: { password: 'pw' } });
    if (r.statusCode !== 204) throw new Error(`webadmin PUT /users/${u}: ${r.statusCode} ${r.body}`);
  }
  return s;
}
