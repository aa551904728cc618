/**
 * Exchange and queue names of spec events-mail.md 1.3. Exchanges are esn-sabre's (durable fanout, key ""); queues are
 * sidecal's. Dead-letter queues: queue + `-dead-letter` for the five search queues, queue + `:dead-letter` otherwise.
 */
export const EXCHANGES = {
  eventCreated: 'calendar:event:created',
  eventUpdated: 'calendar:event:updated',
  eventDeleted: 'calendar:event:deleted',
  eventCancel: 'calendar:event:cancel',
  eventRequest: 'calendar:event:request',
  alarmCreated: 'calendar:event:alarm:created',
  alarmUpdated: 'calendar:event:alarm:updated',
  alarmRequest: 'calendar:event:alarm:request',
  alarmDeleted: 'calendar:event:alarm:deleted',
  alarmCancel: 'calendar:event:alarm:cancel',
  notificationEmail: 'calendar:event:notificationEmail:send',
} as const;

export type SearchAction = 'created' | 'updated' | 'deleted' | 'cancel' | 'request';

/** The five search queues (1.5.1/1.5.2); `calendar:event:reply` is deliberately not consumed. */
export const SEARCH_QUEUES: readonly { action: SearchAction; exchange: string; queue: string }[] = (
  ['created', 'updated', 'deleted', 'cancel', 'request'] as const
).map((action) => ({ action, exchange: `calendar:event:${action}`, queue: `tcalendar:event:${action}:search` }));
export const SEARCH_DEAD_LETTER_SUFFIX = '-dead-letter';

/** Alarm queues: `tcalendar:event:alarm:*`. */
export const ALARM_QUEUES = {
  upsert: [EXCHANGES.alarmCreated, EXCHANGES.alarmUpdated, EXCHANGES.alarmRequest].map((exchange) => ({ exchange, queue: `t${exchange}` })),
  remove: [EXCHANGES.alarmDeleted, EXCHANGES.alarmCancel].map((exchange) => ({ exchange, queue: `t${exchange}` })),
} as const;

export const NOTIFICATION_EMAIL_QUEUE = { exchange: EXCHANGES.notificationEmail, queue: `t${EXCHANGES.notificationEmail}` } as const;
export const OTHER_DEAD_LETTER_SUFFIX = ':dead-letter';

/**
 * Resource moderation (events-mail.md 1.6, later scope): `resource:calendar:event:{action}` →
 * `resource:tcalendar:event:{action}`, dead letters in `…:dead-letter`.
 */
export type ResourceAction = 'created' | 'accepted' | 'declined';
export const RESOURCE_QUEUES: readonly { action: ResourceAction; exchange: string; queue: string }[] = (['created', 'accepted', 'declined'] as const).map(
  (action) => ({ action, exchange: `resource:calendar:event:${action}`, queue: `resource:tcalendar:event:${action}` }),
);
