import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { connectMongo, type MongoConnection } from '../../src/storage/mongo.js';

/**
 * Real-backend tests read the servers the harness (test/run.ts) started, or the operator's own, from the environment.
 * A missing variable is a failure, never a silent skip: run `npm test`, or set the variable.
 */
export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the real layer through 'npm test' (it starts the servers) or point ${name} at your own server`);
  return v;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** One fresh database per call, dropped when the test file ends. */
export async function freshMongo(): Promise<MongoConnection> {
  const conn = await connectMongo(requireEnv('MONGO_URL'), uniqueName('sidecal_test'));
  after(async () => {
    await conn.db.dropDatabase().catch(() => undefined);
    await conn.close();
  });
  return conn;
}
