import ICAL from 'ical.js';
import type { JwtService } from '../auth/jwt-service.js';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../core/errors.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import type { DomainStore } from '../storage/domain-store.js';
import type { Resource, ResourceStore } from '../storage/resource-store.js';
import type { PartStat } from './partstat-patch.js';
import type { PartStatUpdater } from './partstat-updater.js';

/** What the accept/decline link of a `resource-request` email carries (rest-api.md 4.18). */
export interface ResourceLinkQuery {
  status?: string;
  referrer?: string;
  jwt?: string;
}

/**
 * A resource's answer to a booking (spec dav-ldap-config.md C5): the resource's own copy of the event,
 * `/calendars/{resourceId}/{resourceId}/{eventPathId}.ics`, gets the PARTSTAT of the attendee `{resourceId}@{domain}`,
 * written with the technical token of the resource's domain. esn-sabre then schedules the REPLY to the organizer and
 * publishes `resource:calendar:event:accepted|declined`, which the moderation consumer turns into the reply email.
 * Two callers: the administrators' email link (`answerFromLink`) and the consumer's auto-accept (`answer`).
 */
export class ResourceParticipationService {
  constructor(
    private readonly deps: { resources: ResourceStore; domains: DomainStore; caldav: CalDavClient; updater: PartStatUpdater; jwt: JwtService },
  ) {}

  /**
   * The link route, checks in the reference's order: query parameters (400), then the JWT (401 missing or invalid,
   * 400 without the claims, 403 for another resource or event), then the resource and the event (404).
   */
  async answerFromLink(resourceId: string, eventPathId: string, query: ResourceLinkQuery): Promise<void> {
    const partStat = linkPartStat(query);
    const claims = await this.linkClaims(query.jwt);
    if (claims.resourceId !== resourceId || claims.eventId !== eventPathId) throw new ForbiddenError('JWT does not match path parameter');
    // Soft-deleted resources still answer, as in the reference (its DAO lookup keeps them).
    const resource = await this.deps.resources.findById(resourceId);
    if (!resource) throw new NotFoundError(`Resource not found: ${resourceId}`);
    await this.answer(resource, eventPathId, partStat, { eventMustExist: true });
  }

  /**
   * Writes the resource's PARTSTAT. With `eventMustExist`, a missing object or a cancelled one is a NotFoundError (the
   * later reference); otherwise a missing object is nothing, as C5's core behaviour (the consumer's auto-accept).
   */
  async answer(resource: Resource, eventId: string, partStat: PartStat, options: { eventMustExist: boolean }): Promise<void> {
    const domain = await this.deps.domains.retrieveById(resource.domainId);
    if (!domain) throw new NotFoundError(`Domain of resource ${resource.id} not found: ${resource.domainId}`);
    // The link and the message may name the object file (`xxx.ics`); C5 appends the extension itself.
    const objectId = eventId.replace(/\.ics$/i, '');
    if (options.eventMustExist) {
      const href = `/calendars/${encodeURIComponent(resource.id)}/${encodeURIComponent(resource.id)}/${encodeURIComponent(objectId)}.ics`;
      const object = await this.deps.caldav.fetch({ kind: 'technical', domainId: domain.id }, href);
      if (!object || isCancelled(object.ics)) throw new NotFoundError(`Event ${objectId} not found in the calendar of resource ${resource.id}`);
    }
    await this.deps.updater.updateResource(domain, resource.id, objectId, partStat);
  }

  private async linkClaims(token: string | undefined): Promise<{ resourceId: string; eventId: string }> {
    if (!token) throw new UnauthorizedError('Missing jwt in request', { details: 'Missing jwt in request' });
    const claims = await this.deps.jwt.verify(token);
    if (!claims) {
      const details = 'JWT verification failed: invalid signature, malformed or expired token';
      throw new UnauthorizedError(details, { details });
    }
    const missing = ['resourceId', 'eventId'].filter((k) => claims[k] === undefined || claims[k] === null);
    if (missing.length > 0) throw new BadRequestError(`Missing required keys in claim map: [${missing.join(', ')}]`);
    return { resourceId: String(claims.resourceId), eventId: String(claims.eventId) };
  }
}

/** `status` exactly ACCEPTED or DECLINED, `referrer` = email (any case); blank values count as missing. */
function linkPartStat(query: ResourceLinkQuery): PartStat {
  const status = query.status?.trim() ? query.status : undefined;
  if (status !== 'ACCEPTED' && status !== 'DECLINED') throw new BadRequestError('Missing or invalid partStat parameter: status');
  const referrer = query.referrer?.trim() ? query.referrer : undefined;
  if (referrer === undefined) throw new BadRequestError('Missing referrer parameter: referrer');
  if (referrer.toLowerCase() !== 'email') throw new BadRequestError('Invalid referrer parameter, expected: email');
  return status;
}

function isCancelled(ics: string): boolean {
  try {
    const first = new ICAL.Component(ICAL.parse(ics) as unknown[]).getFirstSubcomponent('vevent');
    return String(first?.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
  } catch {
    return false;
  }
}
