import type { JwtService } from '../auth/jwt-service.js';
import { NotFoundError, UnauthorizedError } from '../core/errors.js';
import type { CalDavClient } from '../dav/caldav-client.js';
import type { UserStore } from '../storage/user-store.js';
import { AttendeeNotFoundError, type PartStat } from './partstat-patch.js';
import type { PartStatUpdater } from './partstat-updater.js';

const PARTSTAT_OF_ACTION: Record<string, PartStat> = { ACCEPTED: 'ACCEPTED', REJECTED: 'DECLINED', TENTATIVE: 'TENTATIVE' };
const INVALID_JWT = 'JWT is missing or invalid';

interface ParticipationClaims {
  attendeeEmail: string;
  organizerEmail: string;
  uid: string;
  calendarURI: string;
  action: string;
}

export interface ParticipationResult {
  eventJSON: unknown;
  attendeeEmail: string;
  locale: string;
  links: { yes: string; no: string; maybe: string };
}

/**
 * The excal action link (spec rest-api.md 4.17): the signed JWT says who answers what to which event; the answer is
 * written to esn-sabre as the attendee when sidecal knows the attendee, else as the organizer, and the event is read
 * back for the page. Fresh yes/no/maybe links are signed each time, without expiry (as the reference does).
 */
export class ParticipationService {
  private readonly excalUrl: string;
  private readonly defaultLanguage: string;

  constructor(
    private readonly deps: { jwt: JwtService; users: UserStore; caldav: CalDavClient; updater: PartStatUpdater },
    config: { spaExcalUrl: string; defaultLanguage: string },
  ) {
    this.excalUrl = config.spaExcalUrl.replace(/\/+$/, '');
    this.defaultLanguage = config.defaultLanguage;
  }

  async answer(token: string | undefined): Promise<ParticipationResult> {
    const claims = await this.claims(token);
    const partStat = PARTSTAT_OF_ACTION[claims.action]!;
    const attendeeKnown = (await this.deps.users.retrieveByUsername(claims.attendeeEmail)) !== undefined;
    const as = { kind: 'user', email: attendeeKnown ? claims.attendeeEmail : claims.organizerEmail } as const;
    const found = await this.deps.caldav.findByUid(as, claims.calendarURI, claims.uid);
    if (!found) throw new NotFoundError('Event not found', { details: `Event ${claims.uid} not found in ${claims.calendarURI}` });
    try {
      await this.deps.updater.update(as, found.href, claims.attendeeEmail, partStat);
    } catch (e) {
      // The reference answers an unknown attendee like a bad token.
      if (e instanceof AttendeeNotFoundError) throw new UnauthorizedError(INVALID_JWT, { details: INVALID_JWT, cause: e });
      throw e;
    }
    const after = await this.deps.caldav.findByUid(as, claims.calendarURI, claims.uid);
    if (!after) throw new NotFoundError('Event not found', { details: `Event ${claims.uid} not found in ${claims.calendarURI}` });
    const link = async (action: string) => `${this.excalUrl}/excal/?jwt=${await this.deps.jwt.sign({ ...claims, action }, null)}`;
    return {
      eventJSON: after.jcal,
      attendeeEmail: claims.attendeeEmail,
      // TODO(#6): the attendee's (else organizer's) configured language once user configurations are stored.
      locale: this.defaultLanguage,
      links: { yes: await link('ACCEPTED'), no: await link('REJECTED'), maybe: await link('TENTATIVE') },
    };
  }

  private async claims(token: string | undefined): Promise<ParticipationClaims> {
    const payload = token ? await this.deps.jwt.verify(token) : undefined;
    const c = payload as Partial<Record<keyof ParticipationClaims, unknown>> | undefined;
    const strings = c && ['attendeeEmail', 'organizerEmail', 'uid', 'calendarURI', 'action'].every((k) => typeof c[k as keyof ParticipationClaims] === 'string');
    if (!c || !strings || PARTSTAT_OF_ACTION[c.action as string] === undefined) throw new UnauthorizedError(INVALID_JWT, { details: INVALID_JWT });
    return {
      attendeeEmail: (c.attendeeEmail as string).toLowerCase(),
      organizerEmail: (c.organizerEmail as string).toLowerCase(),
      uid: c.uid as string,
      calendarURI: c.calendarURI as string,
      action: c.action as string,
    };
  }
}
