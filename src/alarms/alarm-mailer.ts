import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import ICAL from 'ical.js';
import pug from 'pug';
import type { Mailer } from '../mail/mailer.js';
import type { AlarmMailer } from './alarm-ports.js';
import type { AlarmEntry } from './alarm-store.js';

const LANGUAGES = ['en', 'fr', 'vi', 'ru'] as const;

export interface AlarmMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  language: string;
}

/**
 * The `event-alarm` email (spec events-mail.md 3.4 §6): "This event is about to begin in {duration}" with summary,
 * location, video conference link, attendees, resources and notes of the chosen VEVENT; HTML only; From = mail.sender.
 * Templates live in `<mail.template.location>/event-alarm/` (html.pug + i18n/{en,fr,vi,ru}.json), so operators can
 * brand them. Unsupported languages fall back to English, missing keys key by key.
 */
export class AlarmEmailRenderer {
  private readonly render: pug.compileTemplate;
  private readonly i18n = i18next.createInstance();
  private ready: Promise<unknown>;

  constructor(templateRoot: string) {
    const dir = join(resolve(templateRoot), 'event-alarm');
    this.render = pug.compileFile(join(dir, 'html.pug'));
    const resources = Object.fromEntries(LANGUAGES.map((l) => [l, { translation: JSON.parse(readFileSync(join(dir, 'i18n', `${l}.json`), 'utf8')) as Record<string, string> }]));
    this.ready = this.i18n.init({ resources, fallbackLng: 'en', interpolation: { escapeValue: false }, initAsync: false });
  }

  async renderAlarm(entry: AlarmEntry, recipient: string, language: string, sender: string, now: Date): Promise<AlarmMail> {
    await this.ready;
    const lang = (LANGUAGES as readonly string[]).includes(language) ? language : 'en';
    const t = this.i18n.getFixedT(lang);
    const event = eventModel(entry);
    const duration = durationText(t, entry.eventStartTime.getTime() - now.getTime());
    const subject = t('subject', { summary: event.summary });
    const text = [subject, '', t('aboutToBegin', { duration }), event.location ? `${t('location')}: ${event.location}` : '', event.videoConferenceLink ? `${t('videoconference')}: ${event.videoConferenceLink}` : '']
      .filter((l, i) => i < 3 || l !== '')
      .join('\n');
    return { from: sender, to: recipient, subject, language: lang, html: this.render({ t, lang, subject, duration, event }), text };
  }
}

/** Rounded up to whole minutes; days (+hours) from a day, hours (+minutes) from an hour, else minutes. */
export function durationText(t: TFunction, ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = days > 0 ? [t('day', { count: days }), hours > 0 ? t('hour', { count: hours }) : ''] : hours > 0 ? [t('hour', { count: hours }), mins > 0 ? t('minute', { count: mins }) : ''] : [t('minute', { count: mins })];
  return parts.filter((p) => p !== '').join(' ');
}

/** The VEVENT whose RECURRENCE-ID matches the entry, else the first one. */
function eventModel(entry: AlarmEntry) {
  const vevents = new ICAL.Component(ICAL.parse(entry.ics)).getAllSubcomponents('vevent');
  const matching = entry.recurrenceId
    ? vevents.find((v) => {
        const rid = v.getFirstPropertyValue('recurrence-id') as ICAL.Time | null;
        return rid !== null && rid.toJSDate().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z') === entry.recurrenceId;
      })
    : undefined;
  const v = matching ?? vevents[0];
  if (!v) throw new Error('alarm ICS without VEVENT');
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
 * server is configured), with a short plain-text alternative next to the HTML.
 */
export class PipelineAlarmMailer implements AlarmMailer {
  constructor(
    private readonly renderer: AlarmEmailRenderer,
    private readonly sender: string,
    private readonly mailer: Mailer,
  ) {}

  async sendAlarm(input: Parameters<AlarmMailer['sendAlarm']>[0]): Promise<void> {
    const mail = await this.renderer.renderAlarm(input.entry, input.recipient, input.language, this.sender, input.now);
    await this.mailer.send({ template: 'event-alarm', from: mail.from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text, language: mail.language });
  }
}
