import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** What the upstream answered, once its status and headers are in. */
export interface UpstreamReply {
  statusCode: number;
  /** Parsed by undici: names in lower case, repeated headers as arrays. */
  headers: Record<string, string | string[] | undefined>;
  /**
   * A Buffer when the body ended within the small-body limit (most DAV answers: one event, a short multistatus); else
   * a stream of all of it, which reads from the upstream only as fast as it is consumed.
   */
  body: Buffer | Readable;
}

/**
 * One exchange with the upstream through undici's handler API: a small body is collected in its chunks and handed
 * over whole, with no stream in between (undici's `request()` makes a Readable per reply, which a proxy relaying
 * mostly small bodies paid for on every request). A body declared larger than `smallBody`, or that grows past it,
 * becomes a stream with backpressure. Errors before the reply is handed over reject (connection refused, timeouts,
 * a small body cut short); later ones destroy the stream.
 */
export function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, smallBody: number): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new ExchangeHandler(options, smallBody, resolve, reject));
  });
}

class ExchangeHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private statusCode = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  /** The small body so far; undefined once streaming. */
  private chunks: Buffer[] | undefined = [];
  private size = 0;
  private stream: UpstreamBody | undefined;
  private settled = false;

  constructor(
    private readonly options: Dispatcher.DispatchOptions,
    private readonly smallBody: number,
    private readonly resolve: (reply: UpstreamReply) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) return; // 1xx informational: the real answer follows
    this.statusCode = statusCode;
    this.headers = headers;
    // HEAD, 204 and 304 carry no body whatever Content-Length says.
    const bodiless = this.options.method === 'HEAD' || statusCode === 204 || statusCode === 304;
    if (!bodiless && Number(headers['content-length']) > this.smallBody) this.startStreaming(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.stream) {
      if (!this.stream.push(chunk)) controller.pause();
      return;
    }
    this.chunks!.push(chunk);
    this.size += chunk.length;
    if (this.size > this.smallBody) this.startStreaming(controller);
  }

  onResponseEnd(): void {
    if (this.stream) {
      this.stream.complete();
      return;
    }
    const chunks = this.chunks!;
    this.settled = true;
    this.resolve({ statusCode: this.statusCode, headers: this.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size) });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    // As undici's request() does: a request body still being read is abandoned (a socket, a rewriting transform).
    const body = this.options.body;
    if (body instanceof Readable) body.destroy(err);
    if (this.stream) this.stream.destroy(err);
    else if (!this.settled) {
      this.settled = true;
      this.reject(err);
    }
  }

  private startStreaming(controller: Dispatcher.DispatchController): void {
    const stream = new UpstreamBody(controller);
    for (const chunk of this.chunks!) stream.push(chunk);
    this.stream = stream;
    this.chunks = undefined;
    this.settled = true;
    this.resolve({ statusCode: this.statusCode, headers: this.headers, body: stream });
    // Nothing reads yet: wait until the stream asks for more.
    if (stream.readableLength >= stream.readableHighWaterMark) controller.pause();
  }
}

/** A body relayed as it arrives: reading resumes the upstream, destroying it before the end aborts the exchange. */
class UpstreamBody extends Readable {
  private completed = false;

  constructor(private readonly controller: Dispatcher.DispatchController) {
    super({ highWaterMark: 64 * 1024 });
  }

  complete(): void {
    this.completed = true;
    this.push(null);
  }

  override _read(): void {
    this.controller.resume();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (!this.completed && !this.controller.aborted) this.controller.abort(err ?? new Error('upstream body abandoned'));
    callback(err);
  }
}
