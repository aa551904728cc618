/**
 * Files uploaded through `POST /api/files` and read back by the import (`twake_calendar_uploaded_files`).
 * Guarantees: every access is scoped to the owner (another user's id is undefined, its delete a no-op); unknown or
 * malformed ids are undefined; `delete` is idempotent; saving the same bytes twice gives two ids; a file whose
 * `created + expiration` is not after now is filtered out of `get` and `list` (the TTL index only cleans up later);
 * `list` is ordered oldest first and leaves the bytes out; `created` keeps millisecond precision.
 */
export type UploadMimeType = 'text/calendar' | 'text/vcard';

export interface UploadedFile {
  id: string;
  username: string;
  fileName: string;
  mimetype: UploadMimeType;
  created: Date;
  size: number;
  data: Buffer;
}

export type NewUpload = Omit<UploadedFile, 'id' | 'username' | 'created'>;

/** A file without its bytes: what the quota needs, without reading every file of the user. */
export type UploadedFileInfo = Omit<UploadedFile, 'data'>;

export interface UploadStore {
  save(username: string, upload: NewUpload): Promise<string>;
  get(username: string, id: string): Promise<UploadedFile | undefined>;
  delete(username: string, id: string): Promise<void>;
  list(username: string): Promise<UploadedFileInfo[]>;
}

export const UPLOAD_MIME_TYPES: readonly UploadMimeType[] = ['text/calendar', 'text/vcard'];

/** Case-insensitive, as the reference reads it; undefined for anything else. */
export function parseUploadMimeType(value: string): UploadMimeType | undefined {
  const lower = value.trim().toLowerCase();
  return UPLOAD_MIME_TYPES.find((m) => m === lower);
}

export function isLive(created: Date, expirationMs: number, now: Date): boolean {
  return created.getTime() + expirationMs > now.getTime();
}
