/**
 * Resources (rooms, equipment) of the shared `resources` collection, written by OpenPaaS and read by esn-sabre.
 * Guarantees: findById/findAll/findByDomain include soft-deleted resources; `search` is a case-insensitive substring
 * match on the name within one domain, never deleted ones, at most `limit`; `exist` is false for another domain, an
 * unknown id or a deleted resource; update and softDelete of an unknown or deleted resource throw
 * ResourceNotFoundError; update sets `updatedAt`; unknown or malformed ids resolve to undefined; documents lacking
 * `administrators`, `icon`, `deleted` or `updatedAt` (older OpenPaaS) are read with defaults.
 */
import { NotFoundError } from '../core/errors.js';

export interface ResourceAdministrator {
  id: string;
  objectType: string;
}

export interface Resource {
  id: string;
  name: string;
  description: string;
  type: string;
  icon: string | undefined;
  deleted: boolean;
  creator: string;
  domainId: string;
  administrators: ResourceAdministrator[];
  creation: Date;
  updatedAt: Date | undefined;
}

export interface NewResource {
  creator: string;
  domainId: string;
  name: string;
  description: string;
  icon?: string;
  administrators?: ResourceAdministrator[];
}

export type ResourcePatch = Partial<Pick<Resource, 'name' | 'description' | 'icon' | 'administrators'>>;

export interface ResourceStore {
  insert(resource: NewResource): Promise<string>;
  findAll(): Promise<Resource[]>;
  findById(id: string): Promise<Resource | undefined>;
  findByDomain(domainId: string): Promise<Resource[]>;
  update(id: string, patch: ResourcePatch): Promise<void>;
  softDelete(id: string): Promise<void>;
  search(domainId: string, keyword: string, limit: number): Promise<Resource[]>;
  exist(id: string, domainId: string): Promise<boolean>;
}

export class ResourceNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Resource not found: ${id}`);
  }
}
