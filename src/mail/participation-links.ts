import type { JwtService } from '../auth/jwt-service.js';

export interface ParticipationLinks {
  yesLink: string;
  maybeLink: string;
  noLink: string;
}

/**
 * Excal links of spec events-mail.md 3.5: one RS256 token per answer, no expiry. "No" is `REJECTED` and `calendarURI`
 * is the home id taken from `eventPath` (`/calendars/{homeId}/{calendarId}/{uid}.ics`), as the excal SPA expects.
 */
export async function participationLinks(
  jwt: JwtService,
  spaExcalUrl: string,
  claims: { attendeeEmail: string; organizerEmail: string; uid: string; eventPath: string },
): Promise<ParticipationLinks> {
  const calendarURI = claims.eventPath.split('/').filter((s) => s !== '')[1] ?? '';
  const base = `${spaExcalUrl.replace(/\/+$/, '')}/excal/?jwt=`;
  const link = async (action: string) =>
    base + (await jwt.sign({ attendeeEmail: claims.attendeeEmail, organizerEmail: claims.organizerEmail, uid: claims.uid, calendarURI, action }, null));
  const [yesLink, maybeLink, noLink] = await Promise.all([link('ACCEPTED'), link('TENTATIVE'), link('REJECTED')]);
  return { yesLink, maybeLink, noLink };
}
