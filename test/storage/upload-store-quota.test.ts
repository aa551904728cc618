import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/core/clock.js';
import { BadRequestError } from '../../src/core/errors.js';
import { UploadService } from '../../src/storage/upload-store-quota.js';
import { MemoryUploadStore } from '../../src/storage/upload-store.memory.js';

const bytes = (n: number) => ({ fileName: 'f.ics', mimetype: 'text/calendar' as const, data: Buffer.alloc(n, 65) });

describe('UploadService (per-user budget of 100 bytes)', () => {
  const setup = () => {
    const clock = new FakeClock();
    const store = new MemoryUploadStore(clock, 3_600_000);
    return { clock, store, uploads: new UploadService(store, 100) };
  };

  it('evicts the oldest files until the new one fits, and only the owner\'s', async () => {
    const { clock, store, uploads } = setup();
    const a = await uploads.upload('bob@x.org', 40, bytes(40));
    clock.advance(1);
    const b = await uploads.upload('bob@x.org', 40, bytes(40));
    clock.advance(1);
    const alice = await uploads.upload('alice@x.org', 90, bytes(90));
    clock.advance(1);
    const c = await uploads.upload('bob@x.org', 50, bytes(50));
    assert.deepEqual((await store.list('bob@x.org')).map((f) => f.id), [b, c]);
    assert.equal(await store.get('bob@x.org', a), undefined);
    assert.ok(await store.get('alice@x.org', alice));
  });

  it('stores the real size when the body is smaller than declared', async () => {
    const { store, uploads } = setup();
    const id = await uploads.upload('bob@x.org', 100, bytes(7));
    assert.equal((await store.get('bob@x.org', id))?.size, 7);
  });

  it('refuses without evicting anything', async () => {
    const { store, uploads } = setup();
    const a = await uploads.upload('bob@x.org', 60, bytes(60));
    await assert.rejects(uploads.upload('bob@x.org', 101, bytes(10)), (e) => e instanceof BadRequestError && e.message === 'File size exceeds user total upload limit');
    await assert.rejects(uploads.upload('bob@x.org', 5, bytes(10)), BadRequestError);
    assert.deepEqual((await store.list('bob@x.org')).map((f) => f.id), [a]);
  });

  it('does not count expired files', async () => {
    const { clock, store, uploads } = setup();
    await uploads.upload('bob@x.org', 90, bytes(90));
    clock.advance(3_600_000);
    const b = await uploads.upload('bob@x.org', 90, bytes(90));
    assert.deepEqual((await store.list('bob@x.org')).map((f) => f.id), [b]);
  });
});
