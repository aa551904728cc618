import type { Client } from '@opensearch-project/opensearch';
import { dedupeContacts, type Contact, type ContactSearchEngine } from './people-contacts.js';

export interface ContactIndexNames {
  userIndex: string;
  domainIndex: string;
  userReadAlias: string;
  domainReadAlias: string;
  userWriteAlias: string;
  domainWriteAlias: string;
  /** `opensearch.index.contact.min.ngram` / `.max.ngram.diff` (2 / 27 ⇒ grams of 2 to 29 characters). */
  minNgram: number;
  maxNgramDiff: number;
}

export const DEFAULT_CONTACT_NGRAMS = { minNgram: 2, maxNgramDiff: 27 } as const;

/** Settings and mapping of the Twake Mail contact indices (storage.md 3.7); `owner` is `accountId` or `domain`. */
export function contactIndexBody(owner: 'accountId' | 'domain', n: Pick<ContactIndexNames, 'minNgram' | 'maxNgramDiff'>): Record<string, unknown> {
  const maxGram = n.minNgram + n.maxNgramDiff;
  const nameField = { type: 'text', analyzer: 'name_edge_ngram', search_analyzer: 'standard' };
  return {
    settings: {
      index: { max_ngram_diff: n.maxNgramDiff },
      analysis: {
        filter: {
          contact_ngram: { type: 'ngram', min_gram: n.minNgram, max_gram: maxGram },
          contact_edge_ngram: { type: 'edge_ngram', min_gram: n.minNgram, max_gram: maxGram },
        },
        analyzer: {
          email_ngram: { type: 'custom', tokenizer: 'uax_url_email', filter: ['lowercase', 'contact_ngram'] },
          email_search: { type: 'custom', tokenizer: 'keyword', filter: ['lowercase'] },
          name_edge_ngram: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'contact_edge_ngram'] },
        },
      },
    },
    mappings: {
      properties: {
        [owner]: { type: 'keyword' },
        contactId: { type: 'keyword' },
        email: { type: 'text', analyzer: 'email_ngram', search_analyzer: 'email_search' },
        firstname: nameField,
        surname: nameField,
        ...(owner === 'accountId' ? { addressBookId: { type: 'keyword' } } : {}),
      },
    },
  };
}

/** Twake Mail's contact indices, read through both read aliases in one search (tmail OSEmailAddressContactSearchEngine). */
export class OpenSearchContactSearchEngine implements ContactSearchEngine {
  constructor(private readonly client: Client, private readonly names: ContactIndexNames) {}

  /** Creates each index with its mapping only if absent, then each missing alias (existing mappings are never touched). */
  async init(): Promise<void> {
    const n = this.names;
    await this.ensure(n.userIndex, contactIndexBody('accountId', n), [n.userReadAlias, n.userWriteAlias]);
    await this.ensure(n.domainIndex, contactIndexBody('domain', n), [n.domainReadAlias, n.domainWriteAlias]);
  }

  async autoComplete(requester: { username: string; domain: string }, query: string, limit: number): Promise<Contact[]> {
    const q = query.trim();
    const must = q.includes('@') ? { match: { email: q } } : { multi_match: { query: q, fields: ['email', 'firstname', 'surname'] } };
    const res = await this.client.search({
      index: [this.names.userReadAlias, this.names.domainReadAlias].join(','),
      body: {
        size: limit,
        query: {
          bool: {
            must: [must],
            should: [{ term: { accountId: requester.username.toLowerCase() } }, { term: { domain: requester.domain.toLowerCase() } }],
            minimum_should_match: 1,
          },
        },
      } as never,
    });
    const hits = res.body.hits.hits.map((h) => h._source as { contactId?: string; email?: string; firstname?: string; surname?: string });
    return dedupeContacts(
      hits
        .filter((s) => typeof s.email === 'string' && s.email !== '')
        .map((s) => ({ id: s.contactId ?? '', email: s.email!, firstname: s.firstname ?? '', surname: s.surname ?? '' })),
    );
  }

  private async ensure(index: string, body: Record<string, unknown>, aliases: string[]): Promise<void> {
    if (!(await this.client.indices.exists({ index })).body) {
      try {
        await this.client.indices.create({ index, body: body as never });
      } catch (err) {
        // another node created it first
        if (!String((err as Error).message).includes('resource_already_exists_exception')) throw err;
      }
    }
    for (const name of aliases) {
      if (!(await this.client.indices.existsAlias({ name })).body) await this.client.indices.putAlias({ index, name });
    }
  }
}
