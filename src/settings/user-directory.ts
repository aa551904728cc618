import type { AuthenticatedUser } from '../auth/auth-types.js';
import { BadRequestError, ConflictError, DomainNotFoundError, NotFoundError, UserNotFoundError } from '../core/errors.js';
import { domainOf } from '../core/names.js';
import type { ConfigOwner } from '../storage/configuration-store.js';
import type { Domain, DomainStore } from '../storage/domain-store.js';
import type { OpenPaaSUser, UserStore } from '../storage/user-store.js';
import type { CredentialsStore } from '../users/credentials-store.js';
import type { ConfigurationService } from './configuration-service.js';
import { currentUserJson, domainJson, userJson, type CurrentUserJson, type DomainJson, type UserJson } from './openpaas-json.js';

/**
 * The OpenPaaS user and domain views of the REST API (rest-api.md 4.1-4.3, 4.10). Two GETs write, as in the reference:
 * the current user and a looked-up email that the users repository knows get an OpenPaaS record on first sight.
 * Non-admin callers never see another domain's users or domain (the reference's later cross-domain rule).
 */
export class UserDirectory {
  constructor(
    private readonly deps: { users: UserStore; domains: DomainStore; credentials: CredentialsStore; settings: ConfigurationService },
  ) {}

  async currentUser(auth: AuthenticatedUser): Promise<CurrentUserJson> {
    const user = await this.provision(auth.username);
    return currentUserJson(user, await this.deps.settings.allKnown(ownerOf(user)));
  }

  async byEmail(auth: AuthenticatedUser, email: string): Promise<UserJson[]> {
    const wanted = email.trim().toLowerCase();
    if (domainOf(wanted) === '') throw new BadRequestError("'email' query parameter must contain a domain part");
    if (!this.sees(auth, domainOf(wanted))) return [];
    let user = await this.deps.users.retrieveByUsername(wanted);
    if (!user && (await this.deps.credentials.exists(wanted))) user = await this.provision(wanted);
    return user ? [await this.json(user)] : [];
  }

  async byId(auth: AuthenticatedUser, id: string): Promise<UserJson> {
    const user = await this.deps.users.retrieveById(id);
    if (!user || !(await this.seesDomainId(auth, user.domainId))) throw new UserNotFoundError(id);
    return this.json(user);
  }

  /** Public (the SPAs load avatars with plain `<img>`): only the email of an existing user is revealed. */
  async emailOf(id: string): Promise<string> {
    const user = await this.deps.users.retrieveById(id);
    if (!user) throw new UserNotFoundError(id);
    return user.username;
  }

  async domain(auth: AuthenticatedUser, id: string): Promise<DomainJson> {
    const domain = await this.deps.domains.retrieveById(id);
    if (!domain || !this.sees(auth, domain.name)) throw new NotFoundError(`Domain ${id} not found`);
    return domainJson(domain);
  }

  /** The settings owner of a caller, provisioning its OpenPaaS record when missing (configuration writes need one). */
  async ownerOf(auth: AuthenticatedUser): Promise<ConfigOwner> {
    return ownerOf(await this.provision(auth.username));
  }

  /** The settings owner when the caller has an OpenPaaS record; reads of a caller without one use the defaults. */
  async existingOwnerOf(auth: AuthenticatedUser): Promise<ConfigOwner | undefined> {
    const user = await this.deps.users.retrieveByUsername(auth.username);
    return user && ownerOf(user);
  }

  private async provision(username: string): Promise<OpenPaaSUser> {
    const existing = await this.deps.users.retrieveByUsername(username);
    if (existing) return existing;
    try {
      return await this.deps.users.add(username, '', '');
    } catch (e) {
      // A concurrent request (or esn-sabre's own provisioning) created it first: use theirs.
      if (e instanceof ConflictError) {
        const raced = await this.deps.users.retrieveByUsername(username);
        if (raced) return raced;
      }
      if (e instanceof DomainNotFoundError) throw new UserNotFoundError(username, { cause: e });
      throw e;
    }
  }

  private async json(user: OpenPaaSUser): Promise<UserJson> {
    return userJson(user, await this.deps.settings.timezone(ownerOf(user)));
  }

  private sees(auth: AuthenticatedUser, domainName: string): boolean {
    return auth.isAdmin || auth.domain === domainName.toLowerCase();
  }

  private async seesDomainId(auth: AuthenticatedUser, domainId: string): Promise<boolean> {
    if (auth.isAdmin) return true;
    const domain: Domain | undefined = await this.deps.domains.retrieveById(domainId);
    return domain !== undefined && this.sees(auth, domain.name);
  }
}

function ownerOf(user: OpenPaaSUser): ConfigOwner {
  return { userId: user.id, domainId: user.domainId };
}
