import { BadRequestError } from '../core/errors.js';
import type { DomainStore } from '../storage/domain-store.js';
import type { ResourceStore } from '../storage/resource-store.js';
import type { UserStore } from '../storage/user-store.js';
import { contactFullName, type ContactSearchEngine } from './people-contacts.js';

export type PeopleObjectType = 'user' | 'contact' | 'resource';
const KNOWN_TYPES: readonly string[] = ['user', 'contact', 'resource'];
export const MAX_PEOPLE_LIMIT = 256;

export interface Person {
  id: string;
  objectType: PeopleObjectType;
  names: { displayName: string; type: 'default' }[];
  emailAddresses: { value: string; type: string }[];
  phoneNumbers: never[];
  photos?: { url: string; type: 'default' }[];
}

export interface PeopleQuery {
  q: string;
  objectTypes: string[];
  limit: number | undefined;
}

const ICON_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * `POST /api/people/search` (rest-api.md 4.15, storage.md 3.7), core behaviour: contacts of the caller's auto-complete
 * indices (upgraded to users when their email is a known OpenPaaS user), then the caller's domain's resources,
 * concatenated and cut to `limit`. Nothing crosses domains: contacts are filtered by owner/domain in the engine,
 * resources by the caller's domain id.
 */
export class PeopleSearchService {
  constructor(
    private readonly deps: { contacts: ContactSearchEngine; users: UserStore; domains: DomainStore; resources: ResourceStore },
    private readonly urls: { self: string; spaCalendar: string },
  ) {}

  async search(requester: { username: string; domain: string }, query: PeopleQuery): Promise<Person[]> {
    const limit = query.limit ?? 0;
    if (limit < 1) throw new BadRequestError('Limit must be greater than 0');
    if (limit > MAX_PEOPLE_LIMIT) throw new BadRequestError(`Maximum limit allowed: ${MAX_PEOPLE_LIMIT}, but got: ${limit}`);
    // Unknown types are dropped; nothing recognised means every type (reference behaviour).
    const requested = new Set(query.objectTypes.map((t) => t.toLowerCase()).filter((t) => KNOWN_TYPES.includes(t)) as PeopleObjectType[]);
    const wants = (t: PeopleObjectType) => requested.size === 0 || requested.has(t);

    const people: Person[] = [];
    if (wants('contact') || wants('user')) people.push(...(await this.contacts(requester, query.q, limit, wants('user'))));
    if (wants('resource')) people.push(...(await this.resources(requester.domain, query.q, limit)));
    return people.filter((p) => wants(p.objectType)).slice(0, limit);
  }

  private async contacts(requester: { username: string; domain: string }, q: string, limit: number, usersAllowed: boolean): Promise<Person[]> {
    const found = await this.deps.contacts.autoComplete(requester, q, limit);
    return Promise.all(
      found.map(async (c) => {
        const user = usersAllowed ? await this.deps.users.retrieveByUsername(c.email) : undefined;
        return {
          id: user ? user.id : c.id,
          objectType: user ? 'user' : 'contact',
          names: [{ displayName: contactFullName(c), type: 'default' }],
          emailAddresses: [{ value: c.email, type: 'Work' }],
          phoneNumbers: [],
          photos: [{ url: `${trimSlash(this.urls.self)}/api/avatars?email=${encodeURIComponent(c.email).replace(/%40/g, '@')}`, type: 'default' }],
        } satisfies Person;
      }),
    );
  }

  private async resources(domainName: string, q: string, limit: number): Promise<Person[]> {
    const domain = await this.deps.domains.retrieveByName(domainName);
    if (!domain) return [];
    const found = await this.deps.resources.search(domain.id, q, limit);
    return found.map((r) => ({
      id: r.id,
      objectType: 'resource',
      names: [{ displayName: r.name, type: 'default' }],
      emailAddresses: [{ value: `${r.id}@${domain.name}`, type: 'default' }],
      phoneNumbers: [],
      ...(r.icon && ICON_NAME.test(r.icon)
        ? { photos: [{ url: `${trimSlash(this.urls.spaCalendar)}/linagora.esn.resource/images/icon/${r.icon}.svg`, type: 'default' as const }] }
        : {}),
    }));
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
