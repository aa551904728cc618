import { ObjectId, type Collection, type Db } from 'mongodb';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { DomainAlreadyExistsError } from '../core/errors.js';
import type { Domain, DomainStore } from './domain-store.js';
import { isDuplicateKey, toObjectId } from './mongo.js';

interface DomainDoc {
  _id: ObjectId;
  name: string;
  company_name?: string;
  hostnames?: string[];
  administrators?: unknown[];
  injections?: unknown[];
  schemaVersion?: number;
  timestamps?: { creation?: Date };
}

/** Writes the full OpenPaaS domain form (`timestamps.creation`, `injections`, `schemaVersion`), reads legacy ones. */
export class MongoDomainStore implements DomainStore {
  private readonly col: Collection<DomainDoc>;

  constructor(
    db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    this.col = db.collection<DomainDoc>('domains');
  }

  async init(): Promise<void> {
    await this.col.createIndex({ name: 1 }, { unique: true });
  }

  async add(name: string): Promise<Domain> {
    const lower = name.toLowerCase();
    const doc: DomainDoc = {
      _id: new ObjectId(),
      name: lower,
      company_name: lower,
      hostnames: [],
      administrators: [],
      injections: [],
      schemaVersion: 1,
      timestamps: { creation: this.clock.now() },
    };
    try {
      const res = await this.col.insertOne(doc);
      return { id: res.insertedId.toHexString(), name: lower };
    } catch (e) {
      if (isDuplicateKey(e)) throw new DomainAlreadyExistsError(lower);
      throw e;
    }
  }

  async retrieveById(id: string): Promise<Domain | undefined> {
    const oid = toObjectId(id);
    if (!oid) return undefined;
    return toDomain(await this.col.findOne({ _id: oid }, { projection: { name: 1 } }));
  }

  async retrieveByName(name: string): Promise<Domain | undefined> {
    return toDomain(await this.col.findOne({ name: name.toLowerCase() }, { projection: { name: 1 } }));
  }

  async list(): Promise<Domain[]> {
    const docs = await this.col.find({}, { projection: { name: 1 } }).sort({ name: 1 }).toArray();
    return docs.map((d) => toDomain(d) as Domain);
  }

  async delete(name: string): Promise<void> {
    await this.col.deleteOne({ name: name.toLowerCase() });
  }
}

function toDomain(doc: Pick<DomainDoc, '_id' | 'name'> | null): Domain | undefined {
  return doc ? { id: doc._id.toHexString(), name: doc.name } : undefined;
}
