/**
 * Lets test files (run by `node --test` in a child process) act on the
 * backends that test/run.ts started in the parent process, e.g. restart
 * RabbitMQ in the middle of a message burst.
 *
 * test/run.ts serves POST <SIDECAL_HARNESS_CONTROL_URL>/<backend>/<action> on
 * 127.0.0.1 (the URL contains a random token). In a test:
 *
 *   import { canControl, restartRabbitMQ } from '../harness/control.js';
 *   test('survives a broker restart', { skip: !canControl('rabbitmq') && 'RabbitMQ not started by the harness' }, async () => {
 *     ...; await restartRabbitMQ(); ...
 *   });
 *
 * A test that starts its own server (startRabbitMQ() in the test process)
 * can call its restart() directly instead.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { StartAllResult } from './backends.js';
import type { RabbitMQBackend } from './rabbitmq.js';

export const CONTROL_ENV = 'SIDECAL_HARNESS_CONTROL_URL';
/** Comma-separated backends the control server can act on. */
export const CONTROLLABLE_ENV = 'SIDECAL_HARNESS_CONTROLLABLE';

type Action = (body: Record<string, unknown>) => Promise<unknown>;

export interface ControlServer {
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the control endpoint for the backends of `all` (used by test/run.ts). */
export async function startControlServer(all: StartAllResult): Promise<ControlServer> {
  const token = randomBytes(16).toString('hex');
  const actions = new Map<string, Action>();
  const rmq = all.backends.rabbitmq as RabbitMQBackend | undefined;
  if (rmq) {
    actions.set('rabbitmq/restart', (b) =>
      rmq.restart({ kill: b.kill === true, downtimeMs: typeof b.downtimeMs === 'number' ? b.downtimeMs : 0 }),
    );
    actions.set('rabbitmq/stop', (b) => rmq.stopBroker({ kill: b.kill === true }));
    actions.set('rabbitmq/start', () => rmq.startBroker());
    actions.set('rabbitmq/status', async () => ({ running: rmq.isRunning() }));
  }
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const [, tok, backend, action] = (req.url ?? '').split('/');
    if (tok !== token) return send(403, { error: 'bad token' });
    const fn = actions.get(`${backend}/${action}`);
    if (!fn || req.method !== 'POST') return send(404, { error: `no action ${backend}/${action}` });
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      let body: unknown;
      try {
        body = data ? JSON.parse(data) : {};
      } catch {
        body = undefined;
      }
      // The actions read options off the body: anything but an object would throw here, outside any handler.
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return send(400, { error: 'the body must be a JSON object' });
      fn(body as Record<string, unknown>).then(
        (r) => send(200, { ok: true, result: r ?? null }),
        (e: Error) => send(500, { error: e.message }),
      );
    });
  });
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
  server.unref();
  const controllable = [...new Set([...actions.keys()].map((k) => k.split('/')[0]!))];
  return {
    env: { [CONTROL_ENV]: `http://127.0.0.1:${port}/${token}`, [CONTROLLABLE_ENV]: controllable.join(',') },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** True when this test process can act on `backend` through the harness. */
export function canControl(backend: string): boolean {
  return !!process.env[CONTROL_ENV] && (process.env[CONTROLLABLE_ENV] ?? '').split(',').includes(backend);
}

/** Calls an action of the control server; throws if unavailable or failing. */
export async function control(backend: string, action: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const base = process.env[CONTROL_ENV];
  if (!base) {
    throw new Error(`${CONTROL_ENV} is not set: run the tests through test/run.ts (npm test) with the harness-started backends`);
  }
  const res = await fetch(`${base}/${backend}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { ok?: boolean; result?: unknown; error?: string };
  if (!res.ok) throw new Error(`harness control ${backend}/${action} failed: ${json.error ?? res.status}`);
  return json.result;
}

/** Restarts the harness RabbitMQ broker (same port, same data). kill: SIGKILL instead of a clean stop. */
export async function restartRabbitMQ(opts: { kill?: boolean; downtimeMs?: number } = {}): Promise<void> {
  await control('rabbitmq', 'restart', opts);
}

/** Stops the harness RabbitMQ broker until startRabbitMQBroker(). */
export async function stopRabbitMQBroker(opts: { kill?: boolean } = {}): Promise<void> {
  await control('rabbitmq', 'stop', opts);
}

export async function startRabbitMQBroker(): Promise<void> {
  await control('rabbitmq', 'start');
}
