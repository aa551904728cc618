import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuthenticatedUser } from '../auth/auth-types.js';
import { BadRequestError, ForbiddenError, NotFoundError, ServiceUnavailableError, UserNotFoundError, isSidecalError } from '../core/errors.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import type { UserStore } from '../storage/user-store.js';
import type { CalendarRef, SecretLinkStore } from './secret-link-store.js';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** 22 random bytes, base64url without padding (30 characters), like the reference. */
export function newSecretToken(): string {
  return randomBytes(22).toString('base64url');
}

/**
 * Secret links (spec rest-api.md 4.16): a user gets a download URL for a calendar; the download exports the calendar
 * from esn-sabre as that user. Unlike the reference, a link is only given (or reset) to a user esn-sabre lets read
 * the calendar (README stance), so nobody can mint links for calendars they cannot see.
 */
export class SecretLinkService {
  private readonly selfUrl: string;

  constructor(
    private readonly store: SecretLinkStore,
    private readonly users: UserStore,
    private readonly caldav: CalDavClient,
    selfUrl: string,
    private readonly logger: Logger,
  ) {
    this.selfUrl = selfUrl.replace(/\/+$/, '');
  }

  async link(user: AuthenticatedUser, calendar: CalendarRef, reset: boolean): Promise<{ secretLink: string }> {
    if (!(await this.caldav.canRead({ kind: 'user', email: user.username }, calendar.homeId, calendar.calendarId))) {
      throw new ForbiddenError('Forbidden', { details: `${user.username} has no access to calendar ${calendar.homeId}/${calendar.calendarId}` });
    }
    const profile = await this.users.retrieveByUsername(user.username);
    if (!profile) throw new UserNotFoundError(user.username);
    const token = reset ? await this.reset(profile.id, calendar) : await this.store.create(profile.id, calendar, newSecretToken());
    const path = `/api/calendars/${encodeURIComponent(calendar.homeId)}/${encodeURIComponent(calendar.calendarId)}/calendar.ics`;
    return { secretLink: `${this.selfUrl}${path}?token=${token}` };
  }

  private async reset(userId: string, calendar: CalendarRef): Promise<string> {
    const token = newSecretToken();
    await this.store.replace(userId, calendar, token);
    return token;
  }

  /** The ICS of the calendar, exported as the link's owner (empty when esn-sabre has nothing to export). */
  async download(calendar: CalendarRef, token: string | undefined): Promise<Buffer> {
    if (token !== undefined && !TOKEN.test(token)) {
      throw new BadRequestError('Invalid token', { details: 'Invalid token: only letters, digits, hyphen, and underscore are allowed.' });
    }
    const ownerId = token === undefined ? undefined : await this.store.ownerOf(calendar, token);
    const owner = ownerId === undefined ? undefined : await this.users.retrieveById(ownerId);
    if (!owner) throw new ForbiddenError('Forbidden', { details: 'Token validation failed' });
    const as = { kind: 'user', email: owner.username } as const;
    try {
      // A subscribed calendar has no events of its own: export its source (later behaviour of the reference).
      const described = await this.caldav.describe(as, calendar.homeId, calendar.calendarId);
      if (!described) throw new NotFoundError('Calendar not found', { details: `Calendar ${calendar.homeId}/${calendar.calendarId} not found` });
      const target = described.source ?? calendar;
      return await this.caldav.export(as, target.homeId, target.calendarId);
    } catch (e) {
      if (e instanceof NotFoundError) throw e;
      // Any failure, including esn-sabre refusing the owner (rights revoked), is a 503 for the subscriber.
      this.logger.warn({ err: e, homeId: calendar.homeId, calendarId: calendar.calendarId }, 'secret link export failed');
      throw new ServiceUnavailableError('Service Unavailable', { details: 'Service Unavailable', cause: isSidecalError(e) ? e : undefined });
    }
  }
}
