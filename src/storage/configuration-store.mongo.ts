import type { Collection, Db, ObjectId } from 'mongodb';
import { ConflictError } from '../core/errors.js';
import { applyWrite, parseStoredModules, type ConfigModule, type ConfigOwner, type ConfigurationStore } from './configuration-store.js';
import { isDuplicateKey, toObjectId } from './mongo.js';

interface ConfigurationDoc {
  _id: ObjectId;
  domain_id: ObjectId;
  user_id?: ObjectId;
  modules?: unknown;
}

const MAX_ATTEMPTS = 8;

/**
 * The OpenPaaS `configurations` collection (one document per user: `{domain_id, user_id, modules}`, no subdocument
 * `_id`s). Writes are read-modify-write guarded by the previous `modules` value, so on MongoDB two writers touching
 * different modules of one user both land (the loser re-reads and re-applies) instead of one erasing the other.
 * Not in the port's contract: FerretDB (the test backend) evaluates concurrent conditional updates against one
 * snapshot, so there a concurrent writer can still be lost.
 */
export class MongoConfigurationStore implements ConfigurationStore {
  private readonly col: Collection<ConfigurationDoc>;

  constructor(db: Db) {
    this.col = db.collection<ConfigurationDoc>('configurations');
  }

  async retrieve(owner: ConfigOwner): Promise<ConfigModule[]> {
    const filter = filterOf(owner);
    if (!filter) return [];
    const doc = await this.col.findOne(filter, { projection: { modules: 1 } });
    return parseStoredModules(doc?.modules);
  }

  replaceModules(owner: ConfigOwner, modules: ConfigModule[]): Promise<void> {
    return this.write(owner, modules, 'replace');
  }

  mergeEntries(owner: ConfigOwner, modules: ConfigModule[]): Promise<void> {
    return this.write(owner, modules, 'merge');
  }

  async delete(owner: ConfigOwner): Promise<void> {
    const filter = filterOf(owner);
    if (filter) await this.col.deleteMany(filter);
  }

  private async write(owner: ConfigOwner, modules: ConfigModule[], mode: 'replace' | 'merge'): Promise<void> {
    const filter = filterOf(owner);
    if (!filter) throw new ConflictError(`Malformed user or domain id: ${owner.userId} ${owner.domainId}`);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.col.findOne(filter);
      const next = applyWrite(doc?.modules, modules, mode);
      if (!doc) {
        // First write for this user. The collection has no unique index on (domain_id, user_id) (OpenPaaS declares
        // none), so the document we create takes the user's id as `_id`: a concurrent first write then fails with a
        // duplicate key and re-applies over the winner's document instead of adding a second one.
        try {
          await this.col.insertOne({ _id: filter.user_id, ...filter, modules: next });
          return;
        } catch (e) {
          if (isDuplicateKey(e)) continue;
          throw e;
        }
      }
      const guard = doc.modules === undefined ? { modules: { $exists: false } } : { modules: doc.modules };
      const res = await this.col.updateOne({ _id: doc._id, ...guard }, { $set: { modules: next } });
      if (res.matchedCount === 1) return;
    }
    throw new ConflictError('User configuration changed concurrently, try again');
  }
}

function filterOf(owner: ConfigOwner): { domain_id: ObjectId; user_id: ObjectId } | undefined {
  const domain_id = toObjectId(owner.domainId);
  const user_id = toObjectId(owner.userId);
  return domain_id && user_id ? { domain_id, user_id } : undefined;
}
