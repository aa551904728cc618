import type { ConfigModule } from '../storage/configuration-store.js';
import type { Domain } from '../storage/domain-store.js';
import type { OpenPaaSUser } from '../storage/user-store.js';

/** OpenPaaS fields the SPAs read but sidecal does not track carry the epoch, like the reference's fakes (quirk 5). */
export const EPOCH = '1970-01-01T00:00:00.000Z';

export interface UserJson {
  _id: string;
  preferredEmail: string;
  objectType: 'user';
  firstname: string;
  lastname: string;
  emails: string[];
  main_phone: string;
  followings: number;
  following: boolean;
  followers: number;
  state: unknown[];
  domains: { domain_id: string; joined_at: string }[];
  timezone: string;
}

export interface CurrentUserJson extends Omit<UserJson, 'timezone'> {
  id: string;
  isPlatformAdmin: boolean;
  login: { success: string; failures: unknown[] };
  accounts: { hosted: boolean; preferredEmailIndex: number; type: 'email'; emails: string[]; timestamps: { creation: string } }[];
  configurations: { modules: ConfigModule[] };
}

export interface DomainJson {
  _id: string;
  name: string;
  company_name: string;
  hostnames: string[];
  schemaVersion: number;
  timestamps: { creation: string };
  administrators: { user_id: string; timestamps: { creation: string } }[];
  injections: unknown[];
  __v: number;
}

function baseUser(user: OpenPaaSUser): Omit<UserJson, 'timezone'> {
  return {
    _id: user.id,
    preferredEmail: user.username,
    objectType: 'user',
    firstname: user.firstname,
    lastname: user.lastname,
    emails: [user.username],
    main_phone: '',
    followings: 0,
    following: false,
    followers: 0,
    state: [],
    domains: [{ domain_id: user.domainId, joined_at: EPOCH }],
  };
}

/** `GET /api/users/{id}` and `?email=` (rest-api.md 4.3, with the later `timezone`). */
export function userJson(user: OpenPaaSUser, timezone: string): UserJson {
  return { ...baseUser(user), timezone };
}

/** `GET /api/user` (rest-api.md 4.1): no `timezone` here, the SPAs read `core.datetime`. */
export function currentUserJson(user: OpenPaaSUser, modules: ConfigModule[]): CurrentUserJson {
  const { _id, ...base } = baseUser(user);
  return {
    _id,
    id: user.id,
    ...base,
    isPlatformAdmin: false,
    login: { success: EPOCH, failures: [] },
    accounts: [{ hosted: true, preferredEmailIndex: 0, type: 'email', emails: [user.username], timestamps: { creation: EPOCH } }],
    configurations: { modules },
  };
}

/** `GET /api/domains/{id}` (rest-api.md 4.10): administrators stay empty until domain admins are modelled. */
export function domainJson(domain: Domain): DomainJson {
  return {
    _id: domain.id,
    name: domain.name,
    company_name: domain.name,
    hostnames: [domain.name],
    schemaVersion: 1,
    timestamps: { creation: EPOCH },
    administrators: [],
    injections: [],
    __v: 0,
  };
}
