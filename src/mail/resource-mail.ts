import type { JwtService } from '../auth/jwt-service.js';
import { BadRequestError } from '../core/errors.js';
import { eventModel, parseVevents } from './event-model.js';
import type { OutgoingMail } from './mailer.js';
import type { RecipientSettings } from './recipient-settings.js';
import type { TemplateRenderer } from './template-renderer.js';

export interface ResourceMailDeps {
  renderer: TemplateRenderer;
  settings: RecipientSettings;
  jwt: JwtService;
  /** `mail.sender`: resource mails come from the service, not from a person. */
  sender: string;
  /** `self.url`, base of the accept/decline links. */
  selfUrl: string;
}

/**
 * Resource moderation emails (spec events-mail.md 3.4 §8). The request goes to a resource administrator with
 * Accept/Decline links carrying a JWT (`resourceId`, `eventId`, expiring after `jwt.key.validity`); the reply tells the
 * organizer the outcome. Both use the recipient's settings, else the defaults. Sending them is triggered by the
 * resource events of §1.6 (later scope); these builders are what that consumer calls.
 */
export async function resourceRequestMail(
  deps: ResourceMailDeps,
  input: { adminEmail: string; resourceId: string; resourceName: string; eventId: string; ics: string },
): Promise<OutgoingMail> {
  const recipient = await deps.settings.lookup(input.adminEmail);
  const lang = deps.renderer.language('resource-request', recipient.language);
  const event = firstEvent(input.ics, lang, recipient.internal ? recipient.timezone : undefined);
  const token = await deps.jwt.sign({ resourceId: input.resourceId, eventId: input.eventId });
  const base = `${deps.selfUrl.replace(/\/+$/, '')}/calendar/api/resources/${encodeURIComponent(input.resourceId)}/${encodeURIComponent(input.eventId)}/participation`;
  const link = (status: string) => `${base}?status=${status}&referrer=email&jwt=${token}`;
  const rendered = deps.renderer.render('resource-request', lang, {
    event, resourceName: input.resourceName, organizer: event.organizer.cn || event.organizer.email,
    acceptLink: link('ACCEPTED'), declineLink: link('DECLINED'),
  });
  return { template: 'resource-request', from: deps.sender, to: input.adminEmail, ...rendered };
}

export async function resourceReplyMail(
  deps: ResourceMailDeps,
  input: { organizerEmail: string; resourceName: string; approved: boolean; ics: string },
): Promise<OutgoingMail> {
  const recipient = await deps.settings.lookup(input.organizerEmail);
  const lang = deps.renderer.language('resource-reply', recipient.language);
  const event = firstEvent(input.ics, lang, recipient.internal ? recipient.timezone : undefined);
  const t = deps.renderer.translator('resource-reply', lang);
  const rendered = deps.renderer.render('resource-reply', lang, {
    event, resourceName: input.resourceName, approved: input.approved, resourceStatus: t(input.approved ? 'statusAccepted' : 'statusDeclined'),
  });
  return { template: 'resource-reply', from: deps.sender, to: input.organizerEmail, ...rendered };
}

function firstEvent(ics: string, lang: string, zone: string | undefined) {
  const vevent = parseVevents(ics)[0];
  if (!vevent) throw new BadRequestError('resource event without VEVENT');
  return eventModel(vevent, lang, zone);
}
