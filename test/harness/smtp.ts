/**
 * In-process SMTP sink (smtp-server) on 127.0.0.1 that keeps every message it
 * receives, plus a small MIME parser to read them back in assertions.
 *
 * Not started by startAll(): the messages live in the test process, so each
 * test file starts its own sink and points the code under test at
 * `env.SMTP_HOST` / `env.SMTP_PORT`.
 */
import { SMTPServer } from 'smtp-server';

export interface CapturedMessage {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  /** The raw message as received (headers + body, CRLF line ends). */
  raw: string;
  /** Authenticated user, if the client logged in. */
  user?: string;
  /** Parses `raw` (cached). */
  parsed(): ParsedMessage;
}

export interface SmtpSink {
  host: string;
  port: number;
  env: { SMTP_HOST: string; SMTP_PORT: string };
  messages: CapturedMessage[];
  /** Resolves with all messages once at least `n` were received; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<CapturedMessage[]>;
  /** Forgets the messages received so far. */
  clear(): void;
  close(): Promise<void>;
  /** Same as close(), for symmetry with the other backends. */
  stop(): Promise<void>;
}

export async function startSmtpSink(opts: { port?: number } = {}): Promise<SmtpSink> {
  const messages: CapturedMessage[] = [];
  let waiters: { n: number; resolve: (m: CapturedMessage[]) => void }[] = [];
  const notify = () => {
    const ready = waiters.filter((w) => messages.length >= w.n);
    waiters = waiters.filter((w) => messages.length < w.n);
    for (const w of ready) w.resolve([...messages]);
  };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'sidecal test SMTP sink',
    size: 50 * 1024 * 1024,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', cb);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let cache: ParsedMessage | undefined;
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          user: typeof session.user === 'string' ? session.user : undefined,
          parsed: () => (cache ??= parseMessage(raw)),
        });
        cb();
        notify();
      });
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  server.on('error', () => undefined);
  // A test that fails before close() (e.g. on a missing env var) must not keep its process alive: the sink alone never
  // holds the event loop open (the client sockets and waitFor()'s timer do while they are in use).
  server.server.unref();

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    host: '127.0.0.1',
    port,
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port) },
    messages,
    waitFor(n, timeoutMs = 10_000) {
      if (messages.length >= n) return Promise.resolve([...messages]);
      return new Promise((resolve, reject) => {
        const w = {
          n,
          resolve: (m: CapturedMessage[]) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((x) => x !== w);
          reject(new Error(`SMTP sink: expected ${n} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    clear() {
      messages.length = 0;
    },
    close,
    stop: close,
  };
}

// ---------------------------------------------------------------------------
// a small MIME parser (enough for assertions on what our code sends)

export interface MimePart {
  /** Header names lower-cased; values unfolded and RFC 2047-decoded. */
  headers: Record<string, string[]>;
  contentType: string;
  params: Record<string, string>;
  /** Decoded body (text for text/* parts, binary otherwise). */
  body: Buffer;
  /** Sub-parts of a multipart/* part. */
  parts: MimePart[];
  /** `body` as text, decoded with the part's charset. */
  text(): string;
  /** Shortcut: first value of a header. */
  header(name: string): string | undefined;
}

export interface ParsedMessage extends MimePart {
  subject?: string;
  from?: string;
  to?: string;
  /** First text/plain part, decoded. */
  textBody?: string;
  /** First text/html part, decoded. */
  htmlBody?: string;
  /** Every leaf part (attachments, text/calendar, ...) in order. */
  leaves: MimePart[];
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
      const buf =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return decodeCharset(buf, charset);
    });
}

function decodeCharset(buf: Buffer, charset = 'utf-8'): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(buf);
  } catch {
    return buf.toString('utf8');
  }
}

function parseParams(value: string): { value: string; params: Record<string, string> } {
  const [first = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const r of rest) {
    const i = r.indexOf('=');
    if (i < 0) continue;
    const k = r.slice(0, i).trim().toLowerCase();
    let v = r.slice(i + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    params[k] = v;
  }
  return { value: first.trim().toLowerCase(), params };
}

function decodeQuotedPrintable(s: string): Buffer {
  const clean = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(clean.slice(i + 1, i + 3))) {
      bytes.push(parseInt(clean.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

function parsePart(raw: string): MimePart {
  const sep = /\r?\n\r?\n/.exec(raw);
  const head = sep ? raw.slice(0, sep.index) : raw;
  const bodyRaw = sep ? raw.slice(sep.index + sep[0].length) : '';
  const headers: Record<string, string[]> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    (headers[k] ??= []).push(decodeWords(line.slice(i + 1).trim()));
  }
  const ct = parseParams(headers['content-type']?.[0] ?? 'text/plain; charset=us-ascii');
  const cte = (headers['content-transfer-encoding']?.[0] ?? '7bit').toLowerCase();
  let body: Buffer;
  const parts: MimePart[] = [];
  if (ct.value.startsWith('multipart/') && ct.params.boundary) {
    body = Buffer.from(bodyRaw, 'utf8');
    const b = ct.params.boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const chunks = bodyRaw.split(new RegExp(`(?:^|\\r?\\n)--${b}(?:--)?[ \\t]*(?=\\r?\\n|$)`));
    // chunks[0] is the preamble, the last one the epilogue after the closing boundary
    for (const chunk of chunks.slice(1)) {
      const c = chunk.replace(/^\r?\n/, '');
      if (c.trim() === '') continue;
      parts.push(parsePart(c));
    }
  } else if (cte === 'base64') {
    body = Buffer.from(bodyRaw.replace(/\s+/g, ''), 'base64');
  } else if (cte === 'quoted-printable') {
    body = decodeQuotedPrintable(bodyRaw);
  } else {
    body = Buffer.from(bodyRaw, 'utf8');
  }
  return {
    headers,
    contentType: ct.value,
    params: ct.params,
    body,
    parts,
    text: () => decodeCharset(body, ct.params.charset ?? 'utf-8'),
    header: (name: string) => headers[name.toLowerCase()]?.[0],
  };
}

/** Parses a raw RFC 5322 message (MIME multipart, base64, quoted-printable, encoded words). */
export function parseMessage(raw: string): ParsedMessage {
  const root = parsePart(raw);
  const leaves: MimePart[] = [];
  const walk = (p: MimePart) => {
    if (p.parts.length) p.parts.forEach(walk);
    else leaves.push(p);
  };
  walk(root);
  const isAttachment = (p: MimePart) => /^attachment/i.test(p.header('content-disposition') ?? '');
  const textPart = leaves.find((p) => p.contentType === 'text/plain' && !isAttachment(p));
  const htmlPart = leaves.find((p) => p.contentType === 'text/html' && !isAttachment(p));
  return {
    ...root,
    subject: root.header('subject'),
    from: root.header('from'),
    to: root.header('to'),
    textBody: textPart?.text(),
    htmlBody: htmlPart?.text(),
    leaves,
  };
}
