import { MongoClient, MongoServerError, ObjectId, type Db } from 'mongodb';

/** The OpenPaaS database shared with OpenPaaS and esn-sabre. */
export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectMongo(url: string, database: string): Promise<MongoConnection> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000, appName: 'sidecal' });
  await client.connect();
  const db = client.db(database);
  return { client, db, close: () => client.close() };
}

export function isDuplicateKey(e: unknown): boolean {
  return e instanceof MongoServerError && e.code === 11000;
}

/** Malformed ids are "not found" everywhere (spec storage.md 0), never a driver exception. */
export function toObjectId(id: string): ObjectId | undefined {
  return /^[0-9a-fA-F]{24}$/.test(id) ? new ObjectId(id.toLowerCase()) : undefined;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
