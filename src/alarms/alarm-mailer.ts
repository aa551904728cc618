import type ICAL from 'ical.js';
import { parseVevents } from '../mail/event-model.js';
import type { Mailer } from '../mail/mailer.js';
import type { RenderedMail, TemplateRenderer, TranslateFn } from '../mail/template-renderer.js';
import type { AlarmMailer } from './alarm-ports.js';
import type { AlarmEntry } from './alarm-store.js';

/**
 * The `event-alarm` email (spec events-mail.md 3.4 §6): "This event is about to begin in {duration}" with summary,
 * location, video conference link, attendees, resources and notes of the chosen VEVENT, no time line. Rendered by the
 * mail pipeline's TemplateRenderer from `<mail.template.location>/event-alarm/` (html.pug on the shared layout,
 * text.pug, i18n), so it has the other emails' language fallback and branding.
 */
export class AlarmEmailRenderer {
  constructor(private readonly templates: TemplateRenderer) {}

  renderAlarm(entry: AlarmEntry, language: string, now: Date): RenderedMail {
    const t = this.templates.translator('event-alarm', language);
    const event = alarmEventModel(chosenVevent(entry));
    const duration = durationText(t, entry.eventStartTime.getTime() - now.getTime());
    return this.templates.render('event-alarm', language, { event, duration, summary: event.summary });
  }
}

/** Rounded up to whole minutes; days (+hours) from a day, hours (+minutes) from an hour, else minutes. */
export function durationText(t: TranslateFn, ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = days > 0 ? [t('day', { count: days }), hours > 0 ? t('hour', { count: hours }) : ''] : hours > 0 ? [t('hour', { count: hours }), mins > 0 ? t('minute', { count: mins }) : ''] : [t('minute', { count: mins })];
  return parts.filter((p) => p !== '').join(' ');
}

/** The VEVENT whose RECURRENCE-ID matches the entry, else the first one. */
function chosenVevent(entry: AlarmEntry): ICAL.Component {
  const vevents = parseVevents(entry.ics);
  const matching = entry.recurrenceId
    ? vevents.find((v) => {
        const rid = v.getFirstPropertyValue('recurrence-id') as ICAL.Time | null;
        return rid !== null && rid.toJSDate().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z') === entry.recurrenceId;
      })
    : undefined;
  const v = matching ?? vevents[0];
  if (!v) throw new Error('alarm ICS without VEVENT');
  return v;
}

/**
 * What the alarm shows of the VEVENT. Not the iTIP `eventModel`: that one resolves and formats the times, which the
 * alarm does not show, and an unknown TZID or time zone setting would then keep the alarm from being sent at all.
 */
function alarmEventModel(v: ICAL.Component) {
  const text = (name: string) => String(v.getFirstPropertyValue(name) ?? '').trim();
  const organizer = text('organizer').replace(/^mailto:/i, '').toLowerCase();
  const people = v.getAllProperties('attendee').map((a) => ({
    email: String(a.getFirstValue()).replace(/^mailto:/i, '').toLowerCase(),
    name: String(a.getParameter('cn') ?? String(a.getFirstValue()).replace(/^mailto:/i, '')),
    resource: String(a.getParameter('cutype') ?? '').toUpperCase() === 'RESOURCE',
  }));
  const attendees = people.filter((p) => !p.resource).map((p) => ({ name: p.name, organizer: p.email === organizer }));
  attendees.sort((a, b) => Number(b.organizer) - Number(a.organizer));
  const location = text('location');
  return {
    summary: text('summary'),
    location,
    locationIsUrl: /^https?:\/\//i.test(location),
    videoConferenceLink: text('x-openpaas-videoconference'),
    description: text('description'),
    attendees,
    resources: people.filter((p) => p.resource).map((p) => p.name),
  };
}

/**
 * Sends alarm emails through the mail pipeline's Mailer port (SMTP with retries, or the logging sink when no SMTP
 * server is configured): From = `mail.sender`, HTML with a plain-text alternative, no attachment.
 */
export class PipelineAlarmMailer implements AlarmMailer {
  constructor(
    private readonly renderer: AlarmEmailRenderer,
    private readonly sender: string,
    private readonly mailer: Mailer,
  ) {}

  async sendAlarm(input: Parameters<AlarmMailer['sendAlarm']>[0]): Promise<void> {
    const mail = this.renderer.renderAlarm(input.entry, input.language, input.now);
    await this.mailer.send({ template: 'event-alarm', from: this.sender, to: input.recipient, ...mail });
  }
}
