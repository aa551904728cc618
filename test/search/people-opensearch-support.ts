import type { Client } from '@opensearch-project/opensearch';
import type { StoredContact } from '../../src/search/people-contacts.memory.js';
import type { ContactIndexNames } from '../../src/search/people-contacts.opensearch.js';

/** Writes contacts as Twake Mail does (document id `<owner>:<email>`, routing = email) through the write aliases. */
export async function indexContacts(client: Client, names: ContactIndexNames, contacts: StoredContact[]): Promise<void> {
  if (contacts.length === 0) return;
  const body = contacts.flatMap((c) => {
    const owner = 'accountId' in c ? { accountId: c.accountId } : { domain: c.domain };
    const ownerValue = 'accountId' in c ? c.accountId : c.domain;
    const index = 'accountId' in c ? names.userWriteAlias : names.domainWriteAlias;
    return [
      { index: { _index: index, _id: `${ownerValue}:${c.email}`, routing: c.email } },
      { ...owner, contactId: c.id, email: c.email, firstname: c.firstname, surname: c.surname },
    ];
  });
  const res = await client.bulk({ body, refresh: true });
  if (res.body.errors) throw new Error(`bulk indexing failed: ${JSON.stringify(res.body.items.find((i) => i.index?.error))}`);
}
