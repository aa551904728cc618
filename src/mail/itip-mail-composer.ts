import type { JwtService } from '../auth/jwt-service.js';
import { zonedToUtc } from '../alarms/timezones.js';
import { BadRequestError } from '../core/errors.js';
import { eventModel, linkFields, parseVevents, type EventModel } from './event-model.js';
import { phpDateTime, type ItipNotification } from './itip-notification.js';
import type { OutgoingMail } from './mailer.js';
import { participationLinks } from './participation-links.js';
import type { Recipient, RecipientSettings } from './recipient-settings.js';
import type { TemplateRenderer } from './template-renderer.js';
import { timeModel } from './time-model.js';

export interface ItipComposerDeps {
  renderer: TemplateRenderer;
  settings: RecipientSettings;
  jwt: JwtService;
  spaCalendarUrl: string;
  spaExcalUrl: string;
}

/**
 * Turns one notification message into the mail of spec events-mail.md 3.3/3.4, or undefined when the reference sends
 * nothing (a REQUEST that is neither new nor carries changes). External recipients get the organizer's language and the
 * event's own time zone (README stance), not the reference's English/UTC.
 */
export async function composeItipMail(n: ItipNotification, deps: ItipComposerDeps): Promise<OutgoingMail | undefined> {
  const template = templateOf(n);
  if (!template) return undefined;
  const [recipient, sender] = await Promise.all([deps.settings.lookup(n.recipientEmail), deps.settings.lookup(n.senderEmail)]);
  const lang = recipient.internal ? recipient.language : sender.language;
  const zone = recipient.internal ? recipient.timezone : undefined;
  const vevent = parseVevents(n.event)[0];
  if (!vevent) throw new BadRequestError('notification email message: event without VEVENT');
  // The excal tokens are signed on the thread pool (≈ 0.7 ms each, most of an invitation's cost): asked for before the
  // model is built, so that signing and the model overlap.
  const { uid, organizerEmail } = linkFields(vevent);
  const signing = (template === 'event-invite' || template === 'event-update') && organizerEmail !== ''
    ? participationLinks(deps.jwt, deps.spaExcalUrl, { attendeeEmail: n.recipientEmail, organizerEmail, uid, eventPath: n.eventPath })
    : undefined;
  const building = (async () => {
    const shown = template === 'event-counter' ? firstVevent(n.oldEvent ?? '') : vevent;
    const event = eventModel(shown, lang, zone);
    const model: Record<string, unknown> = {
      event,
      organizer: event.organizer.cn || event.organizer.email,
      summary: event.summary,
      calendarLink: `${deps.spaCalendarUrl.replace(/\/+$/, '')}/calendar/#/calendar?start=${event.startInEventZone}`,
      // Reply and counter go to the organizer, always internal in practice; the reference links them unconditionally.
      showCalendarLink: recipient.internal || template === 'event-reply' || template === 'event-counter',
    };
    if (template === 'event-update') Object.assign(model, updateModel(n, event, lang, zone ?? event.eventZone));
    if (template === 'event-reply') Object.assign(model, replyModel(n, event, sender, deps.renderer, lang));
    if (template === 'event-counter') Object.assign(model, counterModel(n, vevent, lang, zone ?? event.eventZone));
    return model;
  })();
  // Both awaited together: a failure of either one rejects here, neither is left unhandled.
  const [links, model] = await Promise.all([signing, building]);
  if (links) model.links = links;
  const rendered = deps.renderer.render(template, lang, model);
  return {
    template,
    from: n.senderEmail,
    ...(sender.fullName ? { fromName: sender.fullName } : {}),
    to: n.recipientEmail,
    ...(recipient.fullName ? { toName: recipient.fullName } : {}),
    ...rendered,
    calendar: { method: n.method, ics: n.event },
  };
}

function templateOf(n: ItipNotification): string | undefined {
  switch (n.method) {
    case 'REQUEST':
      return n.isNewEvent ? 'event-invite' : n.changes ? 'event-update' : undefined;
    case 'REPLY':
      return 'event-reply';
    case 'CANCEL':
      return 'event-cancel';
    case 'COUNTER':
      return 'event-counter';
  }
}

function firstVevent(ics: string) {
  const v = parseVevents(ics)[0];
  if (!v) throw new BadRequestError('notification email message: oldEvent without VEVENT');
  return v;
}

/** `changes.*.previous` as the update template shows them: old text values and old times in the display zone. */
function updateModel(n: ItipNotification, event: EventModel, lang: string, zone: string) {
  const changes = n.changes ?? {};
  const previousText = (key: string) => {
    const c = changes[key];
    return c && 'previous' in c ? { previous: String(c.previous ?? '') } : undefined;
  };
  const previousTime = (key: string) => {
    const p = phpDateTime(changes[key]?.previous);
    if (!p) return undefined;
    const instant = p.allDay ? new Date(Date.UTC(p.wall.year, p.wall.month - 1, p.wall.day)) : zonedToUtc(p.wall, p.zone);
    return { previous: timeModel(instant, lang, zone), isOldEventAllDay: p.allDay };
  };
  const summary = previousText('summary');
  return {
    changes: { summary, location: previousText('location'), description: previousText('description'), dtstart: previousTime('dtstart'), dtend: previousTime('dtend') },
    // The subject names the event as the attendee knew it.
    summary: summary ? summary.previous : event.summary,
  };
}

function replyModel(n: ItipNotification, event: EventModel, sender: Recipient, renderer: TemplateRenderer, lang: string) {
  const replier = event.attendees.find((a) => a.email === n.senderEmail) ?? event.attendees.find((a) => !a.isOrganizer) ?? event.attendees[0];
  if (!replier) throw new BadRequestError('notification email message: REPLY without ATTENDEE');
  const participant = replier.cn || sender.fullName || replier.email;
  const t = renderer.translator('event-reply', lang);
  const colours: Record<string, string> = { ACCEPTED: '#deffe1', DECLINED: '#ffdede', TENTATIVE: '#fffcde' };
  return {
    participant,
    partstat: replier.partstat,
    partStatDisplay: t(`partstat_${replier.partstat}`),
    bandColour: colours[replier.partstat] ?? '#deffe1',
    // A REPLY lists only the replier; the organizer comes from ORGANIZER.
    replyAttendees: [
      ...(event.attendees.some((a) => a.isOrganizer) || event.organizer.email === '' ? [] : [{ ...event.organizer, isOrganizer: true, partstat: '' }]),
      ...event.attendees.filter((a) => a.isOrganizer || a.email === replier.email),
    ],
  };
}

function counterModel(n: ItipNotification, counter: ReturnType<typeof parseVevents>[number], lang: string, zone: string) {
  const proposed = eventModel(counter, lang, zone);
  const old = firstVevent(n.oldEvent ?? '');
  const editor = old
    .getAllProperties('attendee')
    .find((a) => String(a.getFirstValue()).replace(/^mailto:/i, '').toLowerCase() === n.senderEmail);
  return { editor: String(editor?.getParameter('cn') ?? ''), proposed };
}
