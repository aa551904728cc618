import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/core/clock.js';
import type { UploadStore } from '../../src/storage/upload-store.js';

export const UPLOAD_EXPIRATION_MS = 3_600_000;
const ICS = Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
const file = (name = 'agenda.ics', data = ICS) => ({ fileName: name, mimetype: 'text/calendar' as const, size: data.length, data });

/** UploadedFileDAO contract (storage.md 2.1); the factory gets the clock the store must read (expiry = 1 h). */
export function uploadStoreContract(name: string, make: (clock: FakeClock) => Promise<UploadStore>): void {
  describe(`${name} (upload store contract)`, () => {
    it('gets back what was saved, millisecond precision', async () => {
      const clock = new FakeClock('2025-09-05T10:00:00.123Z');
      const store = await make(clock);
      const id = await store.save('Bob@Linagora.com', file());
      const got = await store.get('bob@linagora.com', id);
      assert.ok(got);
      assert.equal(got.id, id);
      assert.equal(got.username, 'bob@linagora.com');
      assert.equal(got.fileName, 'agenda.ics');
      assert.equal(got.mimetype, 'text/calendar');
      assert.equal(got.size, ICS.length);
      assert.equal(got.created.toISOString(), '2025-09-05T10:00:00.123Z');
      assert.deepEqual(got.data, ICS);
    });

    it('is empty for unknown and malformed ids', async () => {
      const store = await make(new FakeClock());
      assert.equal(await store.get('bob@linagora.com', '659387b9d486dc0046aeff21'), undefined);
      assert.equal(await store.get('bob@linagora.com', 'not-an-id'), undefined);
    });

    it('scopes every access to the owner', async () => {
      const store = await make(new FakeClock());
      const id = await store.save('bob@linagora.com', file());
      assert.equal(await store.get('alice@linagora.com', id), undefined);
      await store.delete('alice@linagora.com', id);
      assert.ok(await store.get('bob@linagora.com', id), 'another user cannot delete it');
      assert.deepEqual(await store.list('alice@linagora.com'), []);
    });

    it('deletes idempotently', async () => {
      const store = await make(new FakeClock());
      const id = await store.save('bob@linagora.com', file());
      await store.delete('bob@linagora.com', id);
      await store.delete('bob@linagora.com', id);
      assert.equal(await store.get('bob@linagora.com', id), undefined);
    });

    it('lists own files oldest first, minus deleted; same content twice gives two ids', async () => {
      const clock = new FakeClock();
      const store = await make(clock);
      const a = await store.save('bob@linagora.com', file('a.ics'));
      clock.advance(1000);
      const b = await store.save('bob@linagora.com', file('a.ics'));
      clock.advance(1000);
      const c = await store.save('bob@linagora.com', { fileName: 'c.vcf', mimetype: 'text/vcard', size: 3, data: Buffer.from('abc') });
      await store.save('alice@linagora.com', file());
      assert.notEqual(a, b);
      await store.delete('bob@linagora.com', b);
      assert.deepEqual((await store.list('bob@linagora.com')).map((f) => f.id), [a, c]);
    });

    it('lists what each file is without its bytes', async () => {
      const clock = new FakeClock('2025-09-05T10:00:00.123Z');
      const store = await make(clock);
      const id = await store.save('Bob@Linagora.com', { fileName: 'c.vcf', mimetype: 'text/vcard', size: 3, data: Buffer.from('abc') });
      assert.deepEqual(await store.list('bob@linagora.com'), [
        { id, username: 'bob@linagora.com', fileName: 'c.vcf', mimetype: 'text/vcard', created: new Date('2025-09-05T10:00:00.123Z'), size: 3 },
      ]);
    });

    it('filters expired files out of get and list', async () => {
      const clock = new FakeClock();
      const store = await make(clock);
      const old = await store.save('bob@linagora.com', file('old.ics'));
      clock.advance(UPLOAD_EXPIRATION_MS - 1000);
      const recent = await store.save('bob@linagora.com', file('recent.ics'));
      clock.advance(1000);
      assert.equal(await store.get('bob@linagora.com', old), undefined);
      assert.ok(await store.get('bob@linagora.com', recent));
      assert.deepEqual((await store.list('bob@linagora.com')).map((f) => f.id), [recent]);
    });
  });
}
