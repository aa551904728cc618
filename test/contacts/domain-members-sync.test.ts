import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TechnicalTokenService } from '../../src/auth/technical-token.js';
import type { DomainMember } from '../../src/contacts/domain-member.js';
import { DomainMembersSync, type DomainMemberSource } from '../../src/contacts/domain-members-sync.js';
import { DomainMembersSyncTask } from '../../src/contacts/domain-members-sync-task.js';
import { DomainMembersClient } from '../../src/dav/carddav-client.js';
import { DavClient } from '../../src/dav/dav-client.js';
import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { SabreEmulator } from '../calendar/sabre-emulator.js';
import { FaultyProxy } from './faulty-proxy.js';
import { silentLogger, testConfig } from '../support/sidecal.js';

/** The member source as a plain directory: domain name → members (the LDAP adapter is covered by the real tests). */
class DirectorySource implements DomainMemberSource {
  constructor(readonly byDomain: Map<string, DomainMember[]>) {}
  async *members(domain: string): AsyncGenerator<DomainMember> {
    yield* this.byDomain.get(domain) ?? [];
  }
}

const member = (uid: string, mail: string): DomainMember => ({ uid, mail, displayName: uid, familyName: 'F', givenName: 'G', phone: undefined });

describe('domain-members sync task: counters shared across domains, failures make the run partial (spec 3.6, 3.7)', () => {
  const tokens = new TechnicalTokenService('sync-secret', 3600_000);
  const sabre = new SabreEmulator('admin', 'secret', tokens);
  let dav: DavClient;
  before(async () => {
    await sabre.start();
    dav = new DavClient(testConfig({ DAV_URL: sabre.url }).dav, tokens);
  });
  after(async () => {
    await dav.close();
    await sabre.stop();
  });

  test('all domains: a duplicate mail aborts its domain only; others sync; the result is partial', async () => {
    const domains = new MemoryDomainStore();
    const a = await domains.add('a.example');
    const b = await domains.add('b.example');
    const source = new DirectorySource(new Map([
      ['a.example', [member('x1', 'dup@a.example'), member('x2', 'DUP@a.example')]],
      ['b.example', [member('y1', 'one@b.example'), member('y2', 'two@b.example')]],
    ]));
    const sync = new DomainMembersSync(source, new DomainMembersClient(dav, 10), silentLogger);
    const task = new DomainMembersSyncTask({ sync, domains, logger: silentLogger }, undefined);
    assert.equal(await task.run(new AbortController().signal), 'partial');
    assert.deepEqual(task.details(), {
      domain: null, addedCount: 2, addFailureContacts: [], updatedCount: 0, updateFailureContacts: [], deletedCount: 0, deleteFailureContacts: [],
    });
    assert.equal([...sabre.contacts.keys()].filter((k) => k.startsWith(`addressbooks/${a.id}/`)).length, 0);
    assert.equal([...sabre.contacts.keys()].filter((k) => k.startsWith(`addressbooks/${b.id}/`)).length, 2);
  });

  test('one domain: its error fails the task', async () => {
    const domains = new MemoryDomainStore();
    const d = await domains.add('c.example');
    const source = new DirectorySource(new Map([['c.example', [member('z1', 'same@c.example'), member('z2', 'same@c.example')]]]));
    const task = new DomainMembersSyncTask({ sync: new DomainMembersSync(source, new DomainMembersClient(dav, 10), silentLogger), domains, logger: silentLogger }, { id: d.id, name: d.name });
    await assert.rejects(task.run(new AbortController().signal), /duplicate mail/);
  });

  test('contacts esn-sabre refuses are listed by mail per group and never stop the others; the run is partial', async () => {
    const proxy = await new FaultyProxy(sabre.url).start();
    const faulty = new DavClient(testConfig({ DAV_URL: proxy.url }).dav, tokens);
    try {
      const domains = new MemoryDomainStore();
      const d = await domains.add('f.example');
      const source = new DirectorySource(new Map([['f.example', [member('keep', 'keep@f.example'), member('change', 'change@f.example')]]]));
      const sync = new DomainMembersSync(source, new DomainMembersClient(faulty, 10), silentLogger);
      const run = async () => {
        const task = new DomainMembersSyncTask({ sync, domains, logger: silentLogger }, { id: d.id, name: d.name });
        return { result: await task.run(new AbortController().signal), info: task.details() };
      };
      assert.equal((await run()).result, 'completed');
      // Now: one new member refused, one changed member refused, one card gone from LDAP refused; one new member fine.
      source.byDomain.set('f.example', [member('keep', 'keep@f.example'), { ...member('change', 'change@f.example'), phone: '+1' }, member('new1', 'new1@f.example'), member('new2', 'new2@f.example')]);
      sabre.contacts.set(`addressbooks/${d.id}/domain-members/gone.vcf`, { vcard: 'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:gone\r\nEMAIL:gone@f.example\r\nEND:VCARD\r\n', writtenBy: 'test' });
      proxy.refuse('PUT', '/domain-members/new1.vcf');
      proxy.refuse('PUT', '/domain-members/change.vcf');
      proxy.refuse('DELETE', '/domain-members/gone.vcf');
      const { result, info } = await run();
      assert.equal(result, 'partial');
      assert.deepEqual(info, {
        domain: 'f.example', addedCount: 1, addFailureContacts: ['new1@f.example'], updatedCount: 0, updateFailureContacts: ['change@f.example'],
        deletedCount: 0, deleteFailureContacts: ['gone@f.example'],
      });
      assert.ok(sabre.contacts.has(`addressbooks/${d.id}/domain-members/new2.vcf`));
    } finally {
      await faulty.close();
      await proxy.stop();
    }
  });
});
