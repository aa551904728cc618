import type { Logger } from 'pino';
import { BadRequestError, NotFoundError } from '../core/errors.js';
import { checkDomain } from '../core/names.js';
import { INVALID_ARGUMENTS } from '../http/webadmin-errors.js';
import type { DomainStore } from '../storage/domain-store.js';
import type { Task } from '../tasks/task.js';
import type { TaskFactory } from '../webadmin/calendar-tasks-routes.js';
import { SyncReport, type DomainMembersSync } from './domain-members-sync.js';

/**
 * `sync-domain-members-contacts-ldap-to-dav` (spec webadmin.md 3.3, dav-ldap-config.md 3.7): one domain, or every
 * OpenPaaS domain in turn. All domains: a domain error is logged and makes the run partial, the next domain goes on;
 * one domain: its error fails the task. Any recorded contact failure makes the result partial.
 */
export class DomainMembersSyncTask implements Task {
  readonly type = 'sync-domain-members-contacts-ldap-to-dav';
  private readonly report = new SyncReport();

  constructor(
    private readonly deps: { sync: DomainMembersSync; domains: DomainStore; logger: Logger },
    private readonly domain: { id: string; name: string } | undefined,
  ) {}

  details(): Record<string, unknown> {
    const { done, failures } = this.report;
    return {
      domain: this.domain?.name ?? null,
      addedCount: done.add,
      addFailureContacts: [...failures.add],
      updatedCount: done.update,
      updateFailureContacts: [...failures.update],
      deletedCount: done.delete,
      deleteFailureContacts: [...failures.delete],
    };
  }

  async run(signal: AbortSignal): Promise<'completed' | 'partial'> {
    if (this.domain) {
      await this.deps.sync.syncDomain(this.domain, this.report);
      return this.report.hasFailures() ? 'partial' : 'completed';
    }
    let domainFailed = false;
    for (const d of await this.deps.domains.list()) {
      if (signal.aborted) break;
      try {
        await this.deps.sync.syncDomain({ id: d.id, name: d.name }, this.report);
      } catch (err) {
        domainFailed = true;
        this.deps.logger.error({ err, domain: d.name }, 'domain members sync failed for a domain');
      }
    }
    return domainFailed || this.report.hasFailures() ? 'partial' : 'completed';
  }
}

/** `task=sync` on `POST /addressbook/domain-members[/{domain}]`; an unknown domain is 404 before any task exists. */
export function domainMembersSyncTaskFactory(deps: { sync: DomainMembersSync; domains: DomainStore; logger: Logger }): TaskFactory {
  return async (request) => {
    const name = request.params.domain;
    if (name === undefined) return new DomainMembersSyncTask(deps, undefined);
    const checked = checkDomain(name);
    if (!checked.ok) throw new BadRequestError(INVALID_ARGUMENTS, { details: checked.reason });
    const domain = await deps.domains.retrieveByName(checked.value);
    if (!domain) throw new NotFoundError(`domain not found: ${checked.value}`);
    return new DomainMembersSyncTask(deps, { id: domain.id, name: domain.name });
  };
}
