import { createHash, randomUUID } from 'node:crypto';

/** A domain member as both sides see it: an LDAP entry or a card of the domain-members address book. */
export interface DomainMember {
  uid: string;
  mail: string | undefined;
  displayName: string | undefined;
  familyName: string | undefined;
  givenName: string | undefined;
  phone: string | undefined;
}

/**
 * Name-based UUID v3 without namespace, as Java's `UUID.nameUUIDFromBytes` (spec dav-ldap-config.md 3.5): MD5 of the
 * UTF-8 address (local part as written, domain lower-cased), version and variant bits forced. The `uuid` package's
 * `v3()` requires a namespace and gives another value, hence this function.
 */
export function mailUuid(mail: string): string {
  const at = mail.lastIndexOf('@');
  const normalised = at < 0 ? mail : `${mail.slice(0, at)}@${mail.slice(at + 1).toLowerCase()}`;
  const b = createHash('md5').update(normalised, 'utf8').digest();
  b[6] = (b[6]! & 0x0f) | 0x30;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

/** vCard 4.0 of a member: property order VERSION, UID, FN, N, EMAIL, TEL; CRLF; blank values omitted, others trimmed. */
export function toVCard(m: DomainMember): string {
  const esc = (v: string) => v.trim().replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\n/g, '\\n');
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `UID:${m.uid}`];
  const fn = blankToUndefined(m.displayName);
  if (fn) lines.push(`FN:${esc(fn)}`);
  const family = blankToUndefined(m.familyName);
  const given = blankToUndefined(m.givenName);
  if (family || given) lines.push(`N:${family ? esc(family) : ''};${given ? esc(given) : ''};;;`);
  const mail = blankToUndefined(m.mail);
  if (mail) lines.push(`EMAIL:${mail.trim()}`);
  const phone = blankToUndefined(m.phone);
  if (phone) lines.push(`TEL;TYPE=work:${esc(phone)}`);
  lines.push('END:VCARD', '');
  return lines.join('\r\n');
}

/** Members read back from the book's `?export` stream: first non-empty EMAIL, N family/given, FN, first TEL, UID. */
export function parseVCards(stream: string): DomainMember[] {
  const unfolded = stream.replace(/\r?\n[ \t]/g, '');
  const out: DomainMember[] = [];
  for (const block of unfolded.split(/^BEGIN:VCARD\r?$/im).slice(1)) {
    const props = block.split(/\r?\n/).map(parseLine).filter((p): p is Prop => p !== undefined);
    const get = (name: string) => props.find((p) => p.name === name && p.value.trim() !== '');
    const n = get('N') ? splitComponents(get('N')!.value) : [];
    const tel = get('TEL')?.value;
    out.push({
      uid: unescape(get('UID')?.value ?? ''),
      mail: get('EMAIL')?.value.replace(/^mailto:/i, '').trim(),
      displayName: get('FN') ? unescape(get('FN')!.value) : undefined,
      familyName: blankToUndefined(n[0]),
      givenName: blankToUndefined(n[1]),
      phone: tel === undefined ? undefined : unescape(tel.replace(/^tel:/i, '')),
    });
  }
  return out;
}

/** The UID a card is deleted by: its own, else the UUID of its mail, else random (spec 3.6 step 3). */
export function cardUid(m: DomainMember): string {
  if (m.uid) return m.uid;
  return m.mail ? mailUuid(m.mail) : randomUUID();
}

interface Prop {
  name: string;
  value: string;
}

function parseLine(line: string): Prop | undefined {
  const colon = indexOfUnquoted(line, ':');
  if (colon < 0) return undefined;
  const head = line.slice(0, colon);
  const name = (head.split(';')[0] ?? '').replace(/^[\w-]+\./, '').toUpperCase();
  return { name, value: line.slice(colon + 1) };
}

function indexOfUnquoted(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') quoted = !quoted;
    else if (s[i] === ch && !quoted) return i;
  }
  return -1;
}

function splitComponents(value: string): string[] {
  return value.split(/(?<!\\);/).map(unescape);
}

function unescape(v: string): string {
  return v.replace(/\\([\\,;nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
