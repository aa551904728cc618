/**
 * Group commit: concurrent callers' items are written together. While one write is in flight, the items submitted
 * meanwhile wait and go out as the next write (at most `maxBatch` items per write); an idle batcher writes at once
 * (after the current tick, or after `lingerMs`, so calls made meanwhile share a write). Each caller's promise settles with the write
 * that carried its items: `write` returns, per item, `undefined` or the error of that item, so one bad document fails
 * only the caller that submitted it.
 */
export class GroupCommit<T> {
  private queue: { items: T[]; resolve: () => void; reject: (err: Error) => void }[] = [];
  private queued = 0;
  private running = false;

  constructor(
    private readonly write: (items: T[]) => Promise<(Error | undefined)[]>,
    private readonly maxBatch: number,
    /** How long an idle batcher waits for more callers before writing (messages of one delivery burst arrive a few
     * socket reads apart: without it, the first of each burst went alone and bulks alternated 1, 15, 1, 15). */
    private readonly lingerMs = 0,
  ) {}

  submit(items: T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queued += items.length;
      if (!this.running) {
        this.running = true;
        if (this.lingerMs > 0) setTimeout(() => void this.drain(), this.lingerMs);
        else setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    for (let first = true; this.queue.length > 0; first = false) {
      // Linger before every write that is not full, not only the first: items that queued during the previous write
      // would otherwise go out alone while the callers just released bring the next burst (bulks alternating 1, 15).
      if (!first && this.lingerMs > 0 && this.queued < this.maxBatch) await new Promise((r) => setTimeout(r, this.lingerMs));
      // Take whole submissions up to maxBatch items (a single larger submission goes alone, never split across writes).
      const batch: typeof this.queue = [];
      let size = 0;
      while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0]!.items.length <= this.maxBatch)) {
        const next = this.queue.shift()!;
        batch.push(next);
        size += next.items.length;
      }
      this.queued -= size;
      try {
        const errors = await this.write(batch.flatMap((b) => b.items));
        let offset = 0;
        for (const b of batch) {
          const failed = errors.slice(offset, offset + b.items.length).find((e) => e !== undefined);
          offset += b.items.length;
          if (failed) b.reject(failed);
          else b.resolve();
        }
      } catch (err) {
        for (const b of batch) b.reject(err as Error);
      }
    }
    this.running = false;
  }

  /** Items waiting for a write (not counting the one in flight). */
  get pending(): number {
    return this.queued;
  }
}
