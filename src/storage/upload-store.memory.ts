import type { Clock } from '../core/clock.js';
import { newObjectIdHex } from '../core/ids.js';
import { isLive, type NewUpload, type UploadedFile, type UploadedFileInfo, type UploadStore } from './upload-store.js';

/** In-memory uploads for the embedded mode and fast tests (same guarantees as the port). */
export class MemoryUploadStore implements UploadStore {
  private readonly files = new Map<string, UploadedFile>();

  constructor(private readonly clock: Clock, private readonly expirationMs: number) {}

  async save(username: string, upload: NewUpload): Promise<string> {
    const now = this.clock.now();
    const id = newObjectIdHex(now);
    this.files.set(id, { ...upload, data: Buffer.from(upload.data), id, username: username.toLowerCase(), created: now });
    return id;
  }

  async get(username: string, id: string): Promise<UploadedFile | undefined> {
    const f = this.files.get(id.toLowerCase());
    return f && f.username === username.toLowerCase() && this.live(f) ? copy(f) : undefined;
  }

  async delete(username: string, id: string): Promise<void> {
    const f = this.files.get(id.toLowerCase());
    if (f && f.username === username.toLowerCase()) this.files.delete(f.id);
  }

  async list(username: string): Promise<UploadedFileInfo[]> {
    const u = username.toLowerCase();
    return [...this.files.values()]
      .filter((f) => f.username === u && this.live(f))
      .sort((a, b) => a.created.getTime() - b.created.getTime())
      .map(({ data: _bytes, ...info }) => ({ ...info, created: new Date(info.created) }));
  }

  private live(f: UploadedFile): boolean {
    const alive = isLive(f.created, this.expirationMs, this.clock.now());
    if (!alive) this.files.delete(f.id);
    return alive;
  }
}

function copy(f: UploadedFile): UploadedFile {
  return { ...f, created: new Date(f.created), data: Buffer.from(f.data) };
}
