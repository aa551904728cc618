/**
 * Java `.properties` reader (the reference's files must work unchanged): `=`, `:` or whitespace separators, `#`/`!`
 * comments, backslash line continuations, `\uXXXX` and `\t\n\r\f` escapes, `${env:VAR}` interpolation as
 * commons-configuration does. Values are kept whole: commas are only split by the keys declared as lists (the reference
 * splits every value on commas, which truncates URLs and passwords; see docs/compatibility.md). `\,` is unescaped to `,`.
 */
export function parseProperties(text: string, env: NodeJS.ProcessEnv = {}): Map<string, string> {
  const result = new Map<string, string>();
  for (const logical of logicalLines(text)) {
    const { key, value } = splitKeyValue(logical);
    if (key === '') continue;
    result.set(key, interpolate(value, env));
  }
  return result;
}

function* logicalLines(text: string): Generator<string> {
  const lines = text.split(/\r\n|\r|\n/);
  let current: string | undefined;
  for (const raw of lines) {
    const line = current === undefined ? raw.replace(/^[ \t\f]+/, '') : raw.replace(/^[ \t\f]+/, '');
    if (current === undefined && (line === '' || line.startsWith('#') || line.startsWith('!'))) continue;
    const joined = (current ?? '') + line;
    if (endsWithOddBackslashes(joined)) {
      current = joined.slice(0, -1);
      continue;
    }
    current = undefined;
    yield joined;
  }
  if (current !== undefined) yield current;
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function splitKeyValue(line: string): { key: string; value: string } {
  let i = 0;
  let key = '';
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '\\' && i + 1 < line.length) {
      key += c + (line[i + 1] as string);
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    key += c;
    i++;
  }
  while (i < line.length && /[ \t\f]/.test(line[i] as string)) i++;
  if (i < line.length && (line[i] === '=' || line[i] === ':')) i++;
  while (i < line.length && /[ \t\f]/.test(line[i] as string)) i++;
  return { key: unescape(key), value: unescape(line.slice(i)).trimEnd() };
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, esc: string) => {
    if (esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
    switch (esc) {
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      case ',':
        // kept escaped: list keys split on unescaped commas only, scalar keys unescape it (config-reader.ts)
        return '\\,';
      default:
        return esc;
    }
  });
}

function interpolate(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback?: string) => {
    const v = env[name];
    if (v !== undefined) return v;
    return fallback ?? whole;
  });
}
