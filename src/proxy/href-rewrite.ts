import { StringDecoder } from 'node:string_decoder';
import { Transform } from 'node:stream';

/** Longest tail kept back between chunks: an `<ns:href ...>` opening tag plus the prefix being rewritten. */
const MAX_HOLD = 1024;

/**
 * Rewrites the path prefix of `<href>` elements in an XML stream (`<d:href>/calendars/…` → `<d:href>/dav/calendars/…`)
 * without buffering the whole body: WebDAV multistatus answers name resources by absolute path, and a client that
 * reached the server under `/dav` must get paths under `/dav` back. Only the leading prefix of an href changes.
 * A possibly incomplete tag at the end of a chunk is held back until the next chunk.
 */
export function hrefRewriter(from: string, to: string): Transform {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const rewrite = hrefRewrite(from, to);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = pending + decoder.write(chunk);
      const lastLt = text.lastIndexOf('<');
      // An element starting after the last '<' may be cut in two: keep it for the next chunk.
      const cut = lastLt >= 0 && text.length - lastLt <= MAX_HOLD ? lastLt : text.length;
      pending = text.slice(cut);
      done(null, Buffer.from(rewrite(text.slice(0, cut)), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(rewrite(pending + decoder.end()), 'utf8'));
    },
  });
}

const patterns = new Map<string, RegExp>();

/** The same rewriting on a whole document (small bodies are read at once: cheaper than a stream transform). */
export function hrefRewrite(from: string, to: string): (text: string) => string {
  let pattern = patterns.get(from);
  if (!pattern) patterns.set(from, (pattern = new RegExp(`(<(?:[A-Za-z_][\\w.-]*:)?href(?:\\s[^>]*)?>\\s*)${escapeRegex(from)}`, 'g')));
  const re = pattern;
  // A replacement string, not a function: no call per href. `$` in `to` is escaped so it stays literal.
  const replacement = `$1${to.replace(/\$/g, '$$$$')}`;
  return (text) => text.replace(re, replacement);
}

/** Whether a content type is XML (the only bodies whose hrefs are rewritten). */
export function isXml(contentType: string | string[] | undefined): boolean {
  const ct = (Array.isArray(contentType) ? contentType[0] : contentType) ?? '';
  return /^(application|text)\/([\w.+-]*\+)?xml\b/i.test(ct.trim());
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
