import { createServer, request, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

/**
 * A real HTTP hop in front of the esn-sabre emulator that answers 500 to the requests a test names (method + path
 * suffix) and relays every other one untouched: a way to make esn-sabre refuse one contact among many.
 */
export class FaultyProxy {
  readonly refused = new Set<string>();
  private server: Server | undefined;
  url = '';

  constructor(private readonly target: string) {}

  refuse(method: string, pathSuffix: string): void {
    this.refused.add(`${method} ${pathSuffix}`);
  }

  async start(): Promise<this> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      if ([...this.refused].some((r) => r.startsWith(`${req.method} `) && path.endsWith(r.slice(r.indexOf(' ') + 1)))) {
        req.resume();
        res.writeHead(500, { 'content-type': 'text/plain' }).end('refused by the test');
        return;
      }
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }
}
