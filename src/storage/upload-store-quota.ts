import { BadRequestError } from '../core/errors.js';
import type { NewUpload, UploadStore } from './upload-store.js';

/**
 * The rules of `POST /api/files` (rest-api.md 4.19) over an UploadStore: the declared size is a maximum, a file larger
 * than the per-user budget is refused, otherwise the user's oldest files are evicted until the new one fits.
 */
export class UploadService {
  constructor(private readonly store: UploadStore, private readonly userTotalLimitBytes: number) {}

  async upload(username: string, declaredSize: number, upload: Omit<NewUpload, 'size'>): Promise<string> {
    const realSize = upload.data.length;
    if (realSize > declaredSize) {
      throw new BadRequestError(`Real size is greater than declared size, expected: ${declaredSize}, got: ${realSize}`);
    }
    if (declaredSize > this.userTotalLimitBytes) throw new BadRequestError('File size exceeds user total upload limit');
    const existing = await this.store.list(username); // oldest first
    let used = existing.reduce((sum, f) => sum + f.size, 0);
    for (const old of existing) {
      if (used + realSize <= this.userTotalLimitBytes) break;
      await this.store.delete(username, old.id);
      used -= old.size;
    }
    return this.store.save(username, { ...upload, size: realSize });
  }
}
