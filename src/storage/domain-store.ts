/**
 * OpenPaaS domains (the shared `domains` collection).
 * Guarantees: names are stored and matched lower-case; `add` of an existing name throws DomainAlreadyExistsError;
 * unknown or malformed ids and names resolve to undefined; `list` is ordered by name.
 */
export interface Domain {
  id: string;
  name: string;
}

export interface DomainStore {
  add(name: string): Promise<Domain>;
  retrieveById(id: string): Promise<Domain | undefined>;
  retrieveByName(name: string): Promise<Domain | undefined>;
  list(): Promise<Domain[]>;
  /** Removes the domain; idempotent. */
  delete(name: string): Promise<void>;
}

/** Start-up provisioning of the configured `domains`: an existing one is fine. */
export async function provisionDomains(store: DomainStore, names: readonly string[]): Promise<void> {
  for (const name of names) {
    if (!(await store.retrieveByName(name))) {
      try {
        await store.add(name);
      } catch (e) {
        if (!(await store.retrieveByName(name))) throw e;
      }
    }
  }
}
