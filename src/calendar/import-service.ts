import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { BadRequestError } from '../core/errors.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import { groupIcsByUid, splitVCards } from './import-parse.js';

/**
 * What the import needs from the uploads (`POST /api/files`): the bytes and declared MIME type of one of the user's
 * files. The upload store of the uploads capability satisfies it.
 */
export interface UploadedFileReader {
  get(username: string, fileId: string): Promise<{ mimetype: string; data: Buffer } | undefined>;
}

export type ImportFailure = { uid: string; summary: string; start: string; end: string } | { email: string };

export interface ImportResult {
  kind: 'calendar' | 'addressbook';
  target: string;
  succeedCount: number;
  failed: ImportFailure[];
}

/** Told when a detached import ends (the report mail, and later the WebSocket push, hang here). */
export type ImportListener = (username: string, result: ImportResult) => Promise<void>;

const CONCURRENCY = 16;

/**
 * Calendar and address-book import (spec rest-api.md 4.20, dav-ldap-config.md C6/C7): the request is checked and
 * accepted at once; the PUTs to esn-sabre then run detached, 16 at a time. ICS or vCard is chosen by the upload's MIME
 * type, not by the target.
 */
export class ImportService {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly uploads: UploadedFileReader,
    private readonly caldav: CalDavClient,
    private readonly listener: ImportListener,
    private readonly logger: Logger,
  ) {}

  /** Validates and starts the import; the returned promise is the detached work (awaited by tests, not by routes). */
  async start(username: string, fileId: string | undefined, target: string | undefined): Promise<{ done: Promise<void> }> {
    if (!fileId) throw new BadRequestError('fileId must be present');
    if (!target) throw new BadRequestError('target must be present');
    const parts = target.split('/');
    if (parts.length < 4) throw new BadRequestError('Invalid target path');
    const baseId = parts[2]!;
    const collection = parts[3]!.replace(/\.json$/, '');
    const file = await this.uploads.get(username, fileId);
    if (!file) throw new BadRequestError('Uploaded file not found');
    const vcard = file.mimetype.toLowerCase().startsWith('text/vcard');
    const done = this.run(username, target, vcard, file.data.toString('utf8'), baseId, collection).catch((err: unknown) =>
      this.logger.error({ err, fileId, target }, 'import failed'),
    );
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
    return { done };
  }

  /** Lets the imports under way finish (their PUTs are short; an abandoned import would leave a half-filled calendar). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async run(username: string, target: string, vcard: boolean, text: string, baseId: string, collection: string): Promise<void> {
    const as = { kind: 'user', email: username } as const;
    const result: ImportResult = { kind: vcard ? 'addressbook' : 'calendar', target, succeedCount: 0, failed: [] };
    if (vcard) {
      await pool(splitVCards(text), async (card) => {
        const uid = randomUUID();
        card.updatePropertyWithValue('uid', uid);
        card.removeAllProperties('prodid');
        const ok = await this.caldav.importContact(as, baseId, collection, uid, `${card.toString()}\r\n`).catch(() => false);
        if (ok) result.succeedCount++;
        else result.failed.push({ email: String(card.getFirstPropertyValue('email') ?? '') });
      });
    } else {
      await pool(groupIcsByUid(text), async (group) => {
        const ok = await this.caldav.importObject(as, baseId, collection, group.uid, group.ics).catch(() => false);
        if (ok) result.succeedCount++;
        else result.failed.push({ uid: group.uid, summary: group.summary, start: group.start, end: group.end });
      });
    }
    this.logger.info({ target, succeedCount: result.succeedCount, failedCount: result.failed.length }, 'import finished');
    await this.listener(username, result);
  }
}

async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

