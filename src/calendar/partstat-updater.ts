import type { Clock } from '../core/clock.js';
import { ServerError } from '../core/errors.js';
import type { DavPrincipal } from '../dav/dav-auth.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import { DavPreconditionFailedError } from '../dav/dav-errors.js';
import { patchPartStat, type PartStat } from './partstat-patch.js';

export interface RetryPolicy {
  /** First backoff; doubles each retry, with up to 50 % jitter (the reference's 100 ms default). */
  minBackoffMs: number;
  maxRetries: number;
}

export const DEFAULT_RETRY: RetryPolicy = { minBackoffMs: 100, maxRetries: 5 };

/**
 * Writes one attendee's PARTSTAT into a calendar object on esn-sabre: GET (C3), patch, conditional PUT (C4) with the
 * read ETag. A 412 means someone wrote in between: the whole read-patch-write is run again with backoff, so a
 * concurrent edit is never overwritten. A missing object (404) is silently nothing, as in core.
 */
export class PartStatUpdater {
  constructor(
    private readonly caldav: CalDavClient,
    private readonly clock: Clock,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /**
   * C5: a resource's own answer (moderation), written with the technical token of the resource's domain into the
   * resource's calendar, where the resource is the attendee `{resourceId}@{domain}`.
   */
  async updateResource(domain: { id: string; name: string }, resourceId: string, eventPathId: string, partStat: PartStat): Promise<void> {
    const r = encodeURIComponent(resourceId);
    const href = `/calendars/${r}/${r}/${encodeURIComponent(eventPathId)}.ics`;
    await this.update({ kind: 'technical', domainId: domain.id }, href, `${resourceId}@${domain.name}`, partStat);
  }

  async update(as: DavPrincipal, href: string, attendeeEmail: string, partStat: PartStat): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const object = await this.caldav.fetch(as, href);
      if (!object) return;
      const patched = patchPartStat(object.ics, attendeeEmail, partStat, this.clock.now());
      if (patched === undefined) return;
      try {
        await this.caldav.update(as, { ...object, ics: patched });
        return;
      } catch (e) {
        if (!(e instanceof DavPreconditionFailedError)) throw e;
        if (attempt >= this.retry.maxRetries) throw new ServerError('Max retries exceeded for calendar update', { cause: e });
        const base = this.retry.minBackoffMs * 2 ** attempt;
        await new Promise((resolve) => setTimeout(resolve, base + Math.random() * base * 0.5));
      }
    }
  }
}
