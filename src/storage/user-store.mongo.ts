import { randomUUID } from 'node:crypto';
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { DomainNotFoundError, UserConflictError, UserNotFoundError } from '../core/errors.js';
import { domainOf } from '../core/names.js';
import type { DomainStore } from './domain-store.js';
import { ensureIndex, escapeRegex, isDuplicateKey, toObjectId } from './mongo.js';
import { firstnamesOf, type OpenPaaSUser, type UserStore } from './user-store.js';

interface UserDoc {
  _id: ObjectId;
  firstname?: string;
  lastname?: string;
  firstnames?: string[];
  email?: string;
  password?: string;
  accounts?: { type?: string; emails?: string[]; preferredEmailIndex?: number; hosted?: boolean; timestamps?: { creation?: Date } }[];
  domains?: { domain_id: ObjectId; joined_at?: Date }[];
  timestamps?: { creation?: Date };
  schemaVersion?: number;
}

const PROJECTION = { firstname: 1, lastname: 1, email: 1, accounts: 1, domains: 1 } as const;

/**
 * Writes the full OpenPaaS user form (accounts with preferredEmailIndex/hosted, domains with joined_at, timestamps,
 * schemaVersion 2, the `email` field carrying the unique index esn-sabre also relies on) and reads users written by
 * OpenPaaS (no `email`, several accounts). Updates touch only the modelled fields.
 */
export class MongoUserStore implements UserStore {
  private readonly col: Collection<UserDoc>;

  constructor(
    db: Db,
    private readonly domains: DomainStore,
    private readonly clock: Clock = systemClock,
  ) {
    this.col = db.collection<UserDoc>('users');
  }

  async init(): Promise<void> {
    await ensureIndex(this.col, { email: 1 }, { unique: true, partialFilterExpression: { email: { $exists: true } } });
  }

  async add(username: string, firstname?: string, lastname?: string): Promise<OpenPaaSUser> {
    const email = username.toLowerCase();
    const domainId = await this.domainIdOf(email);
    const now = this.clock.now();
    const first = firstname ?? '';
    const doc: Omit<UserDoc, '_id'> = {
      firstname: first,
      lastname: lastname ?? '',
      firstnames: firstnamesOf(first),
      email,
      // OpenPaaS requires a password field; nobody logs in with it (a random placeholder, never a real hash).
      password: randomUUID(),
      accounts: [{ type: 'email', hosted: false, preferredEmailIndex: 0, emails: [email], timestamps: { creation: now } }],
      domains: [{ domain_id: new ObjectId(domainId), joined_at: now }],
      timestamps: { creation: now },
      schemaVersion: 2,
    };
    if (await this.col.findOne({ 'accounts.emails': email }, { projection: { _id: 1 } })) throw new UserConflictError(email);
    try {
      const res = await this.col.insertOne(doc as UserDoc);
      return { id: res.insertedId.toHexString(), username: email, firstname: first, lastname: lastname ?? '', domainId };
    } catch (e) {
      if (isDuplicateKey(e)) throw new UserConflictError(email);
      throw e;
    }
  }

  async retrieveById(id: string): Promise<OpenPaaSUser | undefined> {
    const oid = toObjectId(id);
    return oid ? toUser(await this.col.findOne({ _id: oid }, { projection: PROJECTION })) : undefined;
  }

  async retrieveByUsername(username: string): Promise<OpenPaaSUser | undefined> {
    const email = username.toLowerCase();
    return toUser(await this.col.findOne({ $or: [{ 'accounts.emails': email }, { email }] }, { projection: PROJECTION }));
  }

  async update(id: string, username: string, firstname: string, lastname: string): Promise<OpenPaaSUser> {
    const oid = toObjectId(id);
    const current = oid ? await this.col.findOne({ _id: oid }, { projection: PROJECTION }) : null;
    if (!oid || !current) throw new UserNotFoundError(id);
    const email = username.toLowerCase();
    const domainId = await this.domainIdOf(email);
    const other = await this.col.findOne({ _id: { $ne: oid }, $or: [{ 'accounts.emails': email }, { email }] }, { projection: { _id: 1 } });
    if (other) throw new UserConflictError(email);
    const previous = toUser(current);
    // Targeted updates: keep the user's other emails and domains (the reference replaced both arrays wholesale).
    const accounts = (current.accounts ?? []).map((a) => ({ ...a }));
    const idx = accounts.findIndex((a) => (a.type ?? 'email') === 'email');
    if (idx < 0) accounts.unshift({ type: 'email', hosted: false, preferredEmailIndex: 0, emails: [email] });
    else {
      const acc = accounts[idx]!;
      const emails = [...(acc.emails ?? [])];
      const at = emails.findIndex((e) => e === previous?.username);
      if (at >= 0) emails[at] = email;
      else emails.unshift(email);
      acc.emails = emails;
    }
    const domains = (current.domains ?? []).filter((d) => d.domain_id.toHexString() !== previous?.domainId);
    domains.unshift({ domain_id: new ObjectId(domainId), joined_at: this.clock.now() });
    try {
      await this.col.updateOne({ _id: oid }, { $set: { firstname, lastname, firstnames: firstnamesOf(firstname), email, accounts, domains } });
    } catch (e) {
      if (isDuplicateKey(e)) throw new UserConflictError(email);
      throw e;
    }
    return { id: oid.toHexString(), username: email, firstname, lastname, domainId };
  }

  async delete(username: string): Promise<void> {
    const email = username.toLowerCase();
    await this.col.deleteOne({ $or: [{ email }, { 'accounts.emails': email }] });
  }

  async list(): Promise<OpenPaaSUser[]> {
    const docs = await this.col.find({}, { projection: PROJECTION }).toArray();
    return docs.map(toUser).filter((u): u is OpenPaaSUser => u !== undefined);
  }

  async listByDomain(domainId: string): Promise<OpenPaaSUser[]> {
    const oid = toObjectId(domainId);
    if (!oid) return [];
    const docs = await this.col.find({ 'domains.domain_id': oid }, { projection: PROJECTION }).toArray();
    return docs.map(toUser).filter((u): u is OpenPaaSUser => u !== undefined);
  }

  async search(domainId: string, query: string, limit: number): Promise<OpenPaaSUser[]> {
    const oid = toObjectId(domainId);
    if (!oid || limit <= 0) return [];
    const re = new RegExp(`^${escapeRegex(query)}`, 'i');
    const docs = await this.col
      .find(
        { 'domains.domain_id': oid, $or: [{ 'accounts.emails': re }, { firstname: re }, { lastname: re }, { firstnames: re }] },
        { projection: PROJECTION },
      )
      .limit(limit)
      .toArray();
    return docs.map(toUser).filter((u): u is OpenPaaSUser => u !== undefined);
  }

  private async domainIdOf(email: string): Promise<string> {
    const domain = await this.domains.retrieveByName(domainOf(email));
    if (!domain) throw new DomainNotFoundError(domainOf(email));
    return domain.id;
  }
}

/** The preferred email of an OpenPaaS user: first `email` account, `emails[preferredEmailIndex ?? 0]`. */
function toUser(doc: Pick<UserDoc, '_id' | 'firstname' | 'lastname' | 'email' | 'accounts' | 'domains'> | null): OpenPaaSUser | undefined {
  if (!doc) return undefined;
  const account = (doc.accounts ?? []).find((a) => (a.type ?? 'email') === 'email' && (a.emails?.length ?? 0) > 0);
  const username = (account?.emails?.[account.preferredEmailIndex ?? 0] ?? account?.emails?.[0] ?? doc.email)?.toLowerCase();
  if (!username) return undefined;
  return {
    id: doc._id.toHexString(),
    username,
    firstname: doc.firstname ?? '',
    lastname: doc.lastname ?? '',
    domainId: doc.domains?.[0]?.domain_id?.toHexString() ?? '',
  };
}
