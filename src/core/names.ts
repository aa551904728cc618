/**
 * Domain and username rules shared by webadmin and the REST API (spec webadmin.md 1.6, James Domain/Username).
 * Each returns the normalised (lower-case) value or a reason; callers pick their own error wording.
 */
export type Checked = { ok: true; value: string } | { ok: false; reason: string };

const IP_LITERAL = /^\[?(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)\]?$/;

export function checkDomain(input: string): Checked {
  const d = input.trim().toLowerCase();
  if (d === '') return { ok: false, reason: 'Domain can not be empty' };
  if (d.length > 253) return { ok: false, reason: `Domain name length should not exceed 253 characters` };
  if (IP_LITERAL.test(d) && (d.includes(':') || d.split('.').every((p) => Number(p.replace(/[[\]]/g, '')) <= 255))) {
    return { ok: true, value: d };
  }
  if (!/^[a-z0-9._-]+$/.test(d)) return { ok: false, reason: `Domain parts ASCII chars must be a-z A-Z 0-9 - or _ in ${input}` };
  const labels = d.split('.');
  for (const label of labels) {
    if (label === '') return { ok: false, reason: `Domain can not contain an empty part: ${input}` };
    if (label.length > 63) return { ok: false, reason: `Domain name part should not exceed 63 characters: ${input}` };
    if (/^[-_]|[-_]$/.test(label)) return { ok: false, reason: `Domain parts can not start or end with - or _: ${input}` };
  }
  if (/^\d/.test(labels[labels.length - 1] as string)) return { ok: false, reason: `The last domain part must not start with 0-9: ${input}` };
  return { ok: true, value: d };
}

export function checkUsername(input: string, options: { requireDomain?: boolean } = {}): Checked {
  const u = input.trim();
  if (u === '') return { ok: false, reason: 'username should not be null or empty' };
  if (u.length > 255) return { ok: false, reason: 'username length should not be longer than 255 characters' };
  const at = u.lastIndexOf('@');
  if (at < 0) {
    if (options.requireDomain) return { ok: false, reason: 'Given Username needs to contain a @domainpart' };
    return { ok: true, value: u.toLowerCase() };
  }
  const local = u.slice(0, at);
  if (local === '') return { ok: false, reason: 'username local part should not be empty' };
  if (/["(),:; <>@[\\\]]/.test(local)) return { ok: false, reason: `Invalid username local part: ${local}` };
  const domain = checkDomain(u.slice(at + 1));
  if (!domain.ok) return domain;
  return { ok: true, value: `${local.toLowerCase()}@${domain.value}` };
}

export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}
