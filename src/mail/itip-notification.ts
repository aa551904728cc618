import { BadRequestError } from '../core/errors.js';

/** `calendar:event:notificationEmail:send` body (spec events-mail.md 1.5.4). Unknown fields are ignored (trap 5). */
export interface ItipNotification {
  senderEmail: string;
  recipientEmail: string;
  method: 'REQUEST' | 'REPLY' | 'CANCEL' | 'COUNTER';
  event: string;
  eventPath: string;
  isNewEvent: boolean;
  changes: Record<string, { previous?: unknown; current?: unknown }> | undefined;
  oldEvent: string | undefined;
}

const METHODS = ['REQUEST', 'REPLY', 'CANCEL', 'COUNTER'] as const;

function str(body: Record<string, unknown>, key: string, required: boolean): string {
  const v = body[key];
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (required) throw new BadRequestError(`notification email message: '${key}' is missing or not a string`);
  return '';
}

export function parseItipNotification(payload: unknown): ItipNotification {
  if (typeof payload !== 'object' || payload === null) throw new BadRequestError('notification email message: not a JSON object');
  const body = payload as Record<string, unknown>;
  const method = str(body, 'method', true).toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) throw new BadRequestError(`notification email message: unsupported method '${method}'`);
  const changes = body.changes;
  const oldEvent = str(body, 'oldEvent', method === 'COUNTER');
  return {
    senderEmail: str(body, 'senderEmail', true).replace(/^mailto:/i, '').toLowerCase(),
    recipientEmail: str(body, 'recipientEmail', true).replace(/^mailto:/i, '').toLowerCase(),
    method: method as ItipNotification['method'],
    event: str(body, 'event', true),
    eventPath: str(body, 'eventPath', false),
    isNewEvent: body.isNewEvent === true,
    changes: typeof changes === 'object' && changes !== null && !Array.isArray(changes) ? (changes as ItipNotification['changes']) : undefined,
    oldEvent: oldEvent === '' ? undefined : oldEvent,
  };
}

/** A PHP DateTime as esn-sabre serialises it: `{isAllDay, date:"Y-m-d H:i:s.u", timezone}`. */
export function phpDateTime(value: unknown): { wall: { year: number; month: number; day: number; hour: number; minute: number; second: number }; zone: string; allDay: boolean } | undefined {
  const v = value as { date?: unknown; timezone?: unknown; isAllDay?: unknown } | undefined;
  const m = typeof v?.date === 'string' ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(v.date) : null;
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return { wall: { year, month, day, hour, minute, second }, zone: typeof v?.timezone === 'string' ? v.timezone : 'UTC', allDay: v?.isAllDay === true };
}
