import type { FastifyPluginAsync } from 'fastify';
import type { JwtService } from '../auth/jwt-service.js';
import { resourceParticipationRoutes } from '../api/resource-participation-routes.js';
import type { Clock } from '../core/clock.js';
import { BadRequestError } from '../core/errors.js';
import { PartStatUpdater } from '../calendar/partstat-updater.js';
import { ResourceParticipationService } from '../calendar/resource-participation.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import type { MessageBus, MessageHandler } from '../events/message-bus.js';
import { OTHER_DEAD_LETTER_SUFFIX, RESOURCE_QUEUES, type ResourceAction } from '../events/topology.js';
import type { DomainStore } from '../storage/domain-store.js';
import type { Resource, ResourceStore } from '../storage/resource-store.js';
import type { UserStore } from '../storage/user-store.js';
import { parseVevents } from './event-model.js';
import { isWhitelisted, type Mailer } from './mailer.js';
import { resourceReplyMail, resourceRequestMail, type ResourceMailDeps } from './resource-mail.js';

/** `resource:calendar:event:{created,accepted,declined}` (events-mail.md 1.5.5). */
export interface ResourceMessage {
  resourceId: string;
  /** Without `.ics`: esn-sabre sends the object file name on `created` and the UID on `accepted`/`declined` (trap 13). */
  eventId: string;
  eventPath: string;
  ics: string;
}

export interface ResourceModerationDeps {
  resources: ResourceStore;
  users: UserStore;
  mailer: Mailer;
  mail: ResourceMailDeps;
  /** `mail.imip.recipient.whitelist`, which also filters resource mails. */
  whitelist: readonly string[];
  participation: ResourceParticipationService;
}

export function parseResourceMessage(payload: unknown): ResourceMessage {
  const p = (payload ?? {}) as Record<string, unknown>;
  for (const key of ['resourceId', 'eventId', 'eventPath', 'ics'] as const) {
    if (typeof p[key] !== 'string' || p[key] === '') throw new BadRequestError(`resource message without ${key}`);
  }
  return {
    resourceId: p.resourceId as string,
    eventId: (p.eventId as string).replace(/\.ics$/i, ''),
    eventPath: p.eventPath as string,
    ics: p.ics as string,
  };
}

/**
 * Resource moderation (events-mail.md 1.6, 3.4 §8). `created`: a resource was invited; it accepts by itself when it has
 * no administrator or the organizer is one of them, else each (whitelisted) administrator gets `resource-request` with
 * Accept/Decline links. `accepted`/`declined`: the resource answered; the organizer gets `resource-reply`, unless the
 * organizer administers the resource or the resource has no administrator (it accepted by itself: nobody to hear from).
 * An unknown or deleted resource is acked without effect; a bad message, a DAV or SMTP failure throws (retried, then
 * dead-lettered). Several administrators: a retry may mail again those already mailed (at least once).
 */
export function resourceModerationHandler(action: ResourceAction, deps: ResourceModerationDeps): MessageHandler {
  return async (message, log) => {
    const m = parseResourceMessage(message.payload);
    const resource = await deps.resources.findById(m.resourceId);
    if (!resource || resource.deleted) {
      log.info({ resourceId: m.resourceId }, 'resource unknown or deleted, nothing to moderate');
      return;
    }
    const admins = await administratorEmails(resource, deps.users);
    const organizer = organizerOf(m.ics);
    const organizerIsAdmin = organizer !== undefined && admins.includes(organizer);
    if (action === 'created') {
      if (admins.length === 0 || organizerIsAdmin) {
        await deps.participation.answer(resource, m.eventId, 'ACCEPTED', { eventMustExist: false });
        log.info({ resourceId: resource.id, organizerIsAdmin }, 'resource booking accepted automatically');
        return;
      }
      const recipients = admins.filter((a) => isWhitelisted(deps.whitelist, a));
      for (const adminEmail of recipients) {
        await deps.mailer.send(await resourceRequestMail(deps.mail, { adminEmail, resourceId: resource.id, resourceName: resource.name, eventId: m.eventId, ics: m.ics }));
      }
      log.info({ resourceId: resource.id, administrators: admins.length, mailed: recipients.length }, 'resource booking request emails sent');
      return;
    }
    if (admins.length === 0 || organizer === undefined || organizerIsAdmin || !isWhitelisted(deps.whitelist, organizer)) {
      log.info({ resourceId: resource.id, organizerIsAdmin }, 'no resource reply email');
      return;
    }
    await deps.mailer.send(await resourceReplyMail(deps.mail, { organizerEmail: organizer, resourceName: resource.name, approved: action === 'accepted', ics: m.ics }));
    log.info({ resourceId: resource.id, action }, 'resource reply email sent');
  };
}

/** The resource's administrators that are known users, as lower-case emails (the `resources` document, storage.md). */
async function administratorEmails(resource: Resource, users: UserStore): Promise<string[]> {
  const found = await Promise.all(resource.administrators.filter((a) => a.objectType === 'user').map((a) => users.retrieveById(a.id)));
  return [...new Set(found.flatMap((u) => (u ? [u.username.toLowerCase()] : [])))];
}

function organizerOf(ics: string): string | undefined {
  const vevent = parseVevents(ics)[0];
  if (!vevent) throw new BadRequestError('resource message without VEVENT');
  const value = vevent.getFirstPropertyValue('organizer');
  const email = typeof value === 'string' ? value.replace(/^mailto:/i, '').trim().toLowerCase() : '';
  return email === '' ? undefined : email;
}

export interface ResourceModerationWiring {
  bus: MessageBus;
  resources: ResourceStore;
  users: UserStore;
  domains: DomainStore;
  caldav: CalDavClient;
  clock: Clock;
  jwt: JwtService;
  mailer: Mailer;
  mail: Omit<ResourceMailDeps, 'jwt'>;
  whitelist: readonly string[];
  spaCalendarUrl: string;
}

/**
 * Subscribes the three resource queues and returns the REST route of the administrators' links
 * (main.ts calls it once the bus exists and adds the route to the REST server).
 */
export async function wireResourceModeration(w: ResourceModerationWiring): Promise<FastifyPluginAsync> {
  const participation = new ResourceParticipationService({ resources: w.resources, domains: w.domains, caldav: w.caldav, updater: new PartStatUpdater(w.caldav, w.clock), jwt: w.jwt });
  const deps: ResourceModerationDeps = {
    resources: w.resources, users: w.users, mailer: w.mailer, whitelist: w.whitelist, participation, mail: { ...w.mail, jwt: w.jwt },
  };
  for (const q of RESOURCE_QUEUES) {
    await w.bus.subscribe({ exchange: q.exchange, queue: q.queue, deadLetterSuffix: OTHER_DEAD_LETTER_SUFFIX, handler: resourceModerationHandler(q.action, deps) });
  }
  return resourceParticipationRoutes({ participation, spaCalendarUrl: w.spaCalendarUrl });
}
