import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import type { Clock } from '../core/clock.js';
import { ensureIndex, escapeRegex, toObjectId } from './mongo.js';
import { ResourceNotFoundError, type NewResource, type Resource, type ResourcePatch, type ResourceStore } from './resource-store.js';

/**
 * The OpenPaaS `resources` collection (storage.md 1.3). Updates use `$set` so that fields written by OpenPaaS or
 * esn-sabre that sidecal does not model survive; old documents lacking optional fields are read with defaults.
 */
export class MongoResourceStore implements ResourceStore {
  private readonly col: Collection<Document>;

  constructor(db: Db, private readonly clock: Clock) {
    this.col = db.collection('resources');
  }

  async init(): Promise<void> {
    await ensureIndex(this.col, { domain: 1 });
  }

  async insert(r: NewResource): Promise<string> {
    const now = this.clock.now();
    const _id = new ObjectId();
    await this.col.insertOne({
      _id, creator: toObjectId(r.creator) ?? r.creator, deleted: false, description: r.description, domain: toObjectId(r.domainId) ?? r.domainId,
      ...(r.icon !== undefined ? { icon: r.icon } : {}), name: r.name, timestamps: { creation: now, updatedAt: now }, type: 'resource',
      administrators: (r.administrators ?? []).map((a) => ({ id: a.id, objectType: a.objectType })), __v: 0,
    });
    return _id.toHexString();
  }

  async findAll(): Promise<Resource[]> {
    return (await this.col.find({}).toArray()).map(toResource);
  }

  async findById(id: string): Promise<Resource | undefined> {
    const _id = toObjectId(id);
    const doc = _id && (await this.col.findOne({ _id }));
    return doc ? toResource(doc) : undefined;
  }

  async findByDomain(domainId: string): Promise<Resource[]> {
    const domain = toObjectId(domainId);
    return domain ? (await this.col.find({ domain }).toArray()).map(toResource) : [];
  }

  async update(id: string, patch: ResourcePatch): Promise<void> {
    const set: Document = { 'timestamps.updatedAt': this.clock.now() };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) set[k] = v;
    const _id = toObjectId(id);
    const res = _id && (await this.col.updateOne({ _id, deleted: { $ne: true } }, { $set: set }));
    if (!res || res.matchedCount === 0) throw new ResourceNotFoundError(id);
  }

  async softDelete(id: string): Promise<void> {
    const _id = toObjectId(id);
    const res = _id && (await this.col.updateOne({ _id, deleted: { $ne: true } }, { $set: { deleted: true } }));
    if (!res || res.matchedCount === 0) throw new ResourceNotFoundError(id);
  }

  async search(domainId: string, keyword: string, limit: number): Promise<Resource[]> {
    const domain = toObjectId(domainId);
    if (!domain || limit <= 0) return [];
    const name = { $regex: `.*${escapeRegex(keyword.trim().toLowerCase())}.*`, $options: 'i' };
    // `deleted != true` rather than `deleted: false`: old documents may lack the field
    return (await this.col.find({ domain, deleted: { $ne: true }, name }).limit(limit).toArray()).map(toResource);
  }

  async exist(id: string, domainId: string): Promise<boolean> {
    const _id = toObjectId(id);
    const domain = toObjectId(domainId);
    return !!_id && !!domain && (await this.col.countDocuments({ _id, domain, deleted: { $ne: true } }, { limit: 1 })) > 0;
  }
}

function hex(v: unknown): string {
  return v instanceof ObjectId ? v.toHexString() : String(v ?? '');
}

function toResource(doc: Document): Resource {
  const ts = (doc.timestamps ?? {}) as { creation?: Date; updatedAt?: Date };
  return {
    id: hex(doc._id),
    name: String(doc.name ?? ''),
    description: String(doc.description ?? ''),
    type: String(doc.type ?? 'resource'),
    icon: typeof doc.icon === 'string' && doc.icon !== '' ? doc.icon : undefined,
    deleted: doc.deleted === true,
    creator: hex(doc.creator),
    domainId: hex(doc.domain),
    administrators: Array.isArray(doc.administrators)
      ? doc.administrators.map((a: Document) => ({ id: hex(a.id), objectType: String(a.objectType ?? 'user') }))
      : [],
    creation: ts.creation instanceof Date ? ts.creation : new Date(0),
    updatedAt: ts.updatedAt instanceof Date ? ts.updatedAt : undefined,
  };
}
