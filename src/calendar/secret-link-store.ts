/**
 * Secret links of calendars (storage.md `secretlinks`): one token per (user, calendar); whoever holds the token may
 * download that calendar as that user.
 * Guarantees: `create` keeps an existing token (concurrent creators all get the same one); `replace` makes the previous
 * token of that (user, calendar) stop working at once; `ownerOf` matches the token only for its own calendar
 * (case-sensitive); user ids are OpenPaaS ids (24 hex).
 */
export interface CalendarRef {
  homeId: string;
  calendarId: string;
}

export interface SecretLinkStore {
  /** The user's token for the calendar, if one was issued. */
  get(userId: string, calendar: CalendarRef): Promise<string | undefined>;
  /** Stores `token` unless the user already has one for the calendar; resolves the token now in force. */
  create(userId: string, calendar: CalendarRef, token: string): Promise<string>;
  /** Stores `token` in place of any previous one. */
  replace(userId: string, calendar: CalendarRef, token: string): Promise<void>;
  /** The id of the user whose token this is, for exactly this calendar. */
  ownerOf(calendar: CalendarRef, token: string): Promise<string | undefined>;
}
