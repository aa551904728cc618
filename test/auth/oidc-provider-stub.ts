import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

export interface StubToken {
  userinfo: Record<string, unknown>;
  introspection: Record<string, unknown>;
}

/**
 * A tiny identity provider on 127.0.0.1 for tests: userinfo (GET, bearer) and introspection (POST form `token=`) over
 * the tokens it was given, counting every call so tests can tell a cache hit from an IdP round trip.
 */
export class OidcProviderStub {
  readonly tokens = new Map<string, StubToken>();
  userinfoCalls = 0;
  introspectCalls = 0;
  /** Authorization headers received by the introspection endpoint. */
  readonly introspectAuthorizations: (string | undefined)[] = [];
  /** LemonLDAP portal: cookie value → resolved local part. */
  readonly lemonSessions = new Map<string, string>();
  /** Served at /jwks. */
  jwks: { keys: unknown[] } = { keys: [] };
  /** Delay before answering, to hold concurrent misses in flight. */
  delayMs = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.answer(req).then(([status, body]) => {
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        }, this.delayMs);
      });
    });
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  get env(): Record<string, string> {
    return { OIDC_USERINFO_URL: `${this.url}/userinfo`, OIDC_INTROSPECT_URL: `${this.url}/introspect` };
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private async answer(req: IncomingMessage): Promise<[number, unknown]> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (req.method === 'GET' && req.url === '/userinfo') {
      this.userinfoCalls++;
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const known = token ? this.tokens.get(token) : undefined;
      return known ? [200, known.userinfo] : [401, { error: 'invalid_token' }];
    }
    if (req.method === 'POST' && req.url === '/introspect') {
      this.introspectCalls++;
      this.introspectAuthorizations.push(req.headers.authorization);
      const token = new URLSearchParams(body).get('token') ?? '';
      const known = this.tokens.get(token);
      return [200, known ? { active: true, ...known.introspection } : { active: false }];
    }
    if (req.method === 'GET' && req.url === '/lemon') {
      const cookie = /(?:^|;\s*)lemonldap=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      const user = cookie ? this.lemonSessions.get(cookie) : undefined;
      return user ? [200, { result: user }] : [401, { error: 'no session' }];
    }
    if (req.method === 'GET' && req.url === '/jwks') return [200, this.jwks];
    return [404, {}];
  }
}

/** A logout token as an IdP would send it (unsigned here: the route reads only the payload unless oidc.jwks.url is set). */
export function logoutToken(sid: string): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })}.c2ln`;
}
