/**
 * James `usersrepository.xml`: the LDAP settings are attributes of the root `<usersrepository …/>` element, with optional
 * child elements `<enableVirtualHosting>`, `<restriction memberAttribute="…"><GroupBase>…</GroupBase></restriction>`.
 * The format is flat and fixed, so a small reader is enough; it returns a key map shaped like the properties files.
 */
export function parseUsersRepositoryXml(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  const root = /<usersrepository\b([^>]*)>/i.exec(text);
  if (!root) return out;
  for (const [k, v] of attributes(root[1] ?? '')) out.set(k, v);
  const vh = /<enableVirtualHosting>\s*([^<]*?)\s*<\/enableVirtualHosting>/i.exec(text);
  if (vh) out.set('enableVirtualHosting', vh[1] ?? '');
  const restriction = /<restriction\b([^>]*)>([\s\S]*?)<\/restriction>/i.exec(text);
  if (restriction) {
    const attr = attributes(restriction[1] ?? '').get('memberAttribute');
    if (attr) out.set('restriction.memberAttribute', attr);
    const bases = [...(restriction[2] ?? '').matchAll(/<GroupBase>\s*([^<]*?)\s*<\/GroupBase>/gi)].map((m) => (m[1] ?? '').replace(/,/g, '\\,'));
    if (bases.length > 0) out.set('restriction.GroupBase', bases.join(','));
  }
  return out;
}

function attributes(s: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of s.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    map.set(m[1] as string, decodeEntities(m[3] ?? m[4] ?? ''));
  }
  return map;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&');
}
