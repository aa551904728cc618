import type { Collection, Db, ObjectId } from 'mongodb';
import { BadRequestError } from '../core/errors.js';
import { ensureIndex, isDuplicateKey, toObjectId } from '../storage/mongo.js';
import type { CalendarRef, SecretLinkStore } from './secret-link-store.js';

interface SecretLinkDoc {
  user_id: ObjectId;
  calendarHomeId: string;
  calendarId: string;
  token: string;
}

/** The reference's `secretlinks` collection, same documents and unique indexes. */
export class MongoSecretLinkStore implements SecretLinkStore {
  private readonly col: Collection<SecretLinkDoc>;

  constructor(db: Db) {
    this.col = db.collection<SecretLinkDoc>('secretlinks');
  }

  async init(): Promise<void> {
    await ensureIndex(this.col, { user_id: 1, calendarHomeId: 1, calendarId: 1 }, { unique: true });
    await ensureIndex(this.col, { token: 1, calendarHomeId: 1, calendarId: 1 }, { unique: true });
  }

  async get(userId: string, c: CalendarRef): Promise<string | undefined> {
    return (await this.col.findOne(filter(userId, c)))?.token;
  }

  async create(userId: string, c: CalendarRef, token: string): Promise<string> {
    try {
      const doc = await this.col.findOneAndUpdate(filter(userId, c), { $setOnInsert: { token } }, { upsert: true, returnDocument: 'after' });
      if (doc) return doc.token;
    } catch (e) {
      // Two concurrent upserts may both try to insert; the loser reads the winner's token.
      if (!isDuplicateKey(e)) throw e;
    }
    const stored = await this.get(userId, c);
    if (stored === undefined) throw new Error('secret link vanished right after its creation');
    return stored;
  }

  async replace(userId: string, c: CalendarRef, token: string): Promise<void> {
    await this.col.replaceOne(filter(userId, c), { ...filter(userId, c), token }, { upsert: true });
  }

  async ownerOf(c: CalendarRef, token: string): Promise<string | undefined> {
    const doc = await this.col.findOne({ token, calendarHomeId: c.homeId, calendarId: c.calendarId });
    return doc?.user_id.toHexString();
  }
}

function filter(userId: string, c: CalendarRef): Pick<SecretLinkDoc, 'user_id' | 'calendarHomeId' | 'calendarId'> {
  const id = toObjectId(userId);
  if (!id) throw new BadRequestError(`Invalid user id: ${userId}`);
  return { user_id: id, calendarHomeId: c.homeId, calendarId: c.calendarId };
}
