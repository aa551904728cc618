import { MongoClient, MongoServerError, ObjectId, type Collection, type CreateIndexesOptions, type Db, type Document, type IndexSpecification } from 'mongodb';
import { isObjectIdHex } from '../core/ids.js';

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
  return isObjectIdHex(id) ? new ObjectId(id.toLowerCase()) : undefined;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Warnings of index fall-backs, reported once per process (see ensureIndex). */
export const indexFallbacks: string[] = [];

/**
 * createIndex, written for MongoDB, that still starts on MongoDB-wire servers lacking some index options (FerretDB v1
 * answers NotImplemented for partial and TTL indexes): the index is then created without the unsupported option and
 * the fall-back is recorded. Correctness never rests on those options: expired rows are filtered or taken over on
 * read, and uniqueness holds for every document that has the field.
 */
export async function ensureIndex<T extends Document>(col: Collection<T>, keys: IndexSpecification, options: CreateIndexesOptions = {}): Promise<void> {
  try {
    await col.createIndex(keys, options);
  } catch (e) {
    const notImplemented = e instanceof MongoServerError && (e.code === 238 || e.code === 115);
    if (!notImplemented || (options.partialFilterExpression === undefined && options.expireAfterSeconds === undefined)) throw e;
    const { partialFilterExpression, expireAfterSeconds, ...rest } = options;
    void expireAfterSeconds;
    // A partial "field exists" index is, for uniqueness, what a sparse index is: keep that guarantee where possible.
    const sparse = partialFilterExpression !== undefined && Object.values(partialFilterExpression).every((v) => JSON.stringify(v) === '{"$exists":true}');
    indexFallbacks.push(`${col.collectionName} ${JSON.stringify(keys)}: ${(e as Error).message}; created ${sparse ? 'sparse' : 'without it'}`);
    await col.createIndex(keys, sparse ? { ...rest, sparse: true } : rest);
  }
}
