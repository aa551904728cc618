import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '../../src/auth/jwt-service.js';
import { FakeClock } from '../../src/core/clock.js';

/** The spec's update message (events-mail.md 1.5.4), an event moved by 30 minutes. */
export const UPDATE_ICS =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Sabre//Sabre VObject 4.2.2//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a0b5a363\r\nSEQUENCE:2\r\nDTSTART;TZID=Europe/Paris:20251002T103000\r\nDTEND;TZID=Europe/Paris:20251002T113000\r\nSUMMARY:Sprint review\r\nORGANIZER;CN=Anne Martin:mailto:anne@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:anne@example.com\r\nATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Bob Durand:mailto:bob@example.com\r\nX-OPENPAAS-VIDEOCONFERENCE:https://jitsi.example.com/abc\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

export const EVENT_PATH = '/calendars/68a1b2c3d4e5f60718293a4b/68a1b2c3d4e5f60718293a4b/a0b5a363.ics';

const php = (date: string) => ({ isAllDay: false, date, timezone_type: 3, timezone: 'Europe/Paris' });

export function updateMessage(over: Record<string, unknown> = {}) {
  return {
    senderEmail: 'anne@example.com',
    recipientEmail: 'bob@example.com',
    method: 'REQUEST',
    event: UPDATE_ICS,
    notify: true,
    calendarURI: 'events',
    eventPath: EVENT_PATH,
    changes: {
      dtstart: { previous: php('2025-10-02 10:00:00.000000'), current: php('2025-10-02 10:30:00.000000') },
      dtend: { previous: php('2025-10-02 11:00:00.000000'), current: php('2025-10-02 11:30:00.000000') },
      // esn-sabre adds this when DURATION changes; core failed on it (spec trap 5).
      duration: { previous: 'PT1H', current: 'PT1H' },
    },
    ...over,
  };
}

export function inviteMessage(over: Record<string, unknown> = {}) {
  const { changes: _c, ...rest } = updateMessage();
  return { ...rest, isNewEvent: true, event: UPDATE_ICS.replace('SEQUENCE:2', 'SEQUENCE:0').replace('SUMMARY:Sprint review', 'SUMMARY:Sprint review\r\nLOCATION:Room 4 & 5\r\nDESCRIPTION:Demo of the sprint\\nthen retro\r\nATTENDEE;CUTYPE=RESOURCE;CN=Projector:mailto:projector@example.com'), ...over };
}

export function cancelMessage() {
  return { ...inviteMessage(), isNewEvent: undefined, method: 'CANCEL', event: UPDATE_ICS.replace('METHOD:REQUEST', 'METHOD:CANCEL').replace('SEQUENCE:2', 'SEQUENCE:3\r\nSTATUS:CANCELLED') };
}

export function replyMessage(partstat: string, cn = ';CN=Bob Durand') {
  const ics = UPDATE_ICS.replace('METHOD:REQUEST', 'METHOD:REPLY').replace(
    /ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:anne@example.com\r\nATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Bob Durand:mailto:bob@example.com/,
    `ATTENDEE;PARTSTAT=${partstat}${cn}:mailto:bob@example.com`,
  );
  return { senderEmail: 'bob@example.com', recipientEmail: 'anne@example.com', method: 'REPLY', event: ics, notify: true, calendarURI: 'events', eventPath: EVENT_PATH };
}

export function counterMessage() {
  const counter = UPDATE_ICS.replace('METHOD:REQUEST', 'METHOD:COUNTER')
    .replace('DTSTART;TZID=Europe/Paris:20251002T103000', 'DTSTART;TZID=Europe/Paris:20251003T140000')
    .replace('DTEND;TZID=Europe/Paris:20251002T113000', 'DTEND;TZID=Europe/Paris:20251003T150000')
    .replace('SUMMARY:Sprint review', 'SUMMARY:Sprint review\r\nCOMMENT:Thursday is full for me');
  return { senderEmail: 'bob@example.com', recipientEmail: 'anne@example.com', method: 'COUNTER', event: counter, oldEvent: UPDATE_ICS, notify: true, calendarURI: 'events', eventPath: EVENT_PATH };
}

export function testJwt(): JwtService {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JwtService.fromKeys(privateKey, [publicKey], 3_600_000, new FakeClock(new Date('2025-09-01T00:00:00Z')));
}
