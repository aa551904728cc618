import { Binary, Long, ObjectId, type Collection, type Db } from 'mongodb';
import type { Clock } from '../core/clock.js';
import { ensureIndex, toObjectId } from './mongo.js';
import { isLive, parseUploadMimeType, type NewUpload, type UploadedFile, type UploadedFileInfo, type UploadStore } from './upload-store.js';

interface UploadDoc {
  _id: ObjectId;
  username: string;
  fileName: string;
  mimeType: string;
  created: Date;
  size: number | Long;
  data: Binary;
}

/** `twake_calendar_uploaded_files` (storage.md 1.3): whole file inline, TTL index on `created`, expiry filtered on read. */
export class MongoUploadStore implements UploadStore {
  private readonly col: Collection<UploadDoc>;

  constructor(db: Db, private readonly clock: Clock, private readonly expirationMs: number) {
    this.col = db.collection<UploadDoc>('twake_calendar_uploaded_files');
  }

  async init(): Promise<void> {
    await ensureIndex(this.col, { created: 1 }, { expireAfterSeconds: Math.max(1, Math.ceil(this.expirationMs / 1000)) });
    await ensureIndex(this.col, { username: 1, created: 1 });
  }

  async save(username: string, upload: NewUpload): Promise<string> {
    const _id = new ObjectId();
    await this.col.insertOne({
      _id,
      username: username.toLowerCase(),
      fileName: upload.fileName,
      mimeType: upload.mimetype,
      created: this.clock.now(),
      size: Long.fromNumber(upload.size),
      data: new Binary(upload.data),
    });
    return _id.toHexString();
  }

  async get(username: string, id: string): Promise<UploadedFile | undefined> {
    const _id = toObjectId(id);
    if (!_id) return undefined;
    const doc = await this.col.findOne({ _id, username: username.toLowerCase(), created: { $gt: this.cutoff() } });
    const info = doc ? this.toInfo(doc) : undefined;
    return info && { ...info, data: Buffer.from(doc!.data.buffer) };
  }

  async delete(username: string, id: string): Promise<void> {
    const _id = toObjectId(id);
    if (_id) await this.col.deleteOne({ _id, username: username.toLowerCase() });
  }

  async list(username: string): Promise<UploadedFileInfo[]> {
    const docs = await this.col
      .find({ username: username.toLowerCase(), created: { $gt: this.cutoff() } }, { projection: { data: 0 } })
      .sort({ created: 1, _id: 1 })
      .toArray();
    return docs.map((d) => this.toInfo(d)).filter((f): f is UploadedFileInfo => f !== undefined);
  }

  private cutoff(): Date {
    return new Date(this.clock.now().getTime() - this.expirationMs);
  }

  private toInfo(doc: Omit<UploadDoc, 'data'>): UploadedFileInfo | undefined {
    const mimetype = parseUploadMimeType(doc.mimeType);
    if (!mimetype || !isLive(doc.created, this.expirationMs, this.clock.now())) return undefined;
    return {
      id: doc._id.toHexString(),
      username: doc.username,
      fileName: doc.fileName,
      mimetype,
      created: doc.created,
      size: typeof doc.size === 'number' ? doc.size : doc.size.toNumber(),
    };
  }
}
