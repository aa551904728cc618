/**
 * RabbitMQ (Debian rabbitmq-server) run as our own node: AMQP, Erlang
 * distribution and a private epmd all on 127.0.0.1 free ports, mnesia and
 * logs in a temp dir. The broker can be stopped and started again with the
 * same data (durable queues survive), e.g. to test reconnection.
 *
 * Env: RABBITMQ_URI, and RABBITMQ_MANAGEMENT_URI when the management plugin
 * is enabled: by default (the consumer watchdog's tests need it); option
 * `management: false` or SIDECAL_RABBITMQ_MANAGEMENT=0 turns it off. With the
 * plugin a graceful broker stop takes 5 s more (the plugin's statistics
 * collector waits that long), so restart() pays it; the final stop() kills
 * the broker instead, its data being thrown away anyway.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import amqp from 'amqplib';
import { APT_PACKAGES, ensureAptPackages } from './install.js';
import { getFreePorts } from './ports.js';
import {
  failStart,
  log,
  makeTempDir,
  removeTempDir,
  run,
  secondsSince,
  spawnServer,
  waitUntil,
  which,
  type ServerProcess,
  type StartedBackend,
} from './util.js';

export const RABBITMQ_ENV_HINT = 'RABBITMQ_URI (e.g. RABBITMQ_URI=amqp://guest:guest@127.0.0.1:5672)';

export interface RabbitMQBackend extends StartedBackend {
  env: { RABBITMQ_URI: string; RABBITMQ_MANAGEMENT_URI?: string };
  url: string;
  port: number;
  managementUrl?: string;
  nodeName: string;
  logFile: string;
  /** Stops the broker (SIGTERM, or SIGKILL with kill: true) but keeps its data, ports and epmd. */
  stopBroker(opts?: { kill?: boolean }): Promise<void>;
  /** Starts the broker again after stopBroker(), waits until AMQP accepts connections. */
  startBroker(): Promise<void>;
  /** stopBroker() + optional pause + startBroker(). */
  restart(opts?: { kill?: boolean; downtimeMs?: number }): Promise<void>;
  /** True while the broker process runs. */
  isRunning(): boolean;
  /** Runs rabbitmqctl against this node (e.g. ['list_queues', 'name', 'messages']). */
  ctl(args: string[]): Promise<string>;
}

const SCRIPTS_DIRS = ['/usr/lib/rabbitmq/bin', '/usr/lib/rabbitmq/sbin'];

function scriptPath(name: string): string {
  for (const d of SCRIPTS_DIRS) {
    const p = which(name, [d]);
    if (p && p.startsWith(d)) return p;
  }
  // Debian's /usr/sbin wrappers switch to the rabbitmq user and cd to /var/lib/rabbitmq; avoid them.
  const p = path.join(SCRIPTS_DIRS[0]!, name);
  return p;
}

async function amqpReady(url: string): Promise<boolean> {
  const conn = await amqp.connect(url, { timeout: 2000 });
  await conn.close();
  return true;
}

export async function startRabbitMQ(
  opts: { management?: boolean; startTimeoutMs?: number } = {},
): Promise<RabbitMQBackend> {
  const t0 = Date.now();
  const management = opts.management ?? process.env.SIDECAL_RABBITMQ_MANAGEMENT !== '0';
  const startTimeoutMs = opts.startTimeoutMs ?? 120_000;
  let dir: string | undefined;
  let broker: ServerProcess | undefined;
  let epmd: ServerProcess | undefined;
  let logFile: string | undefined;
  try {
    await ensureAptPackages(APT_PACKAGES.rabbitmq);
    const server = scriptPath('rabbitmq-server');
    const ctlBin = scriptPath('rabbitmqctl');
    const epmdBin = which('epmd', ['/usr/lib/erlang/bin']);
    if (!epmdBin) throw new Error('epmd (Erlang) not found after installing rabbitmq-server');

    dir = await makeTempDir('rabbitmq');
    logFile = path.join(dir, 'rabbitmq.log');
    const epmdLog = path.join(dir, 'epmd.log');
    const [port, distPort, epmdPort, mgmtPort] = (await getFreePorts(4)) as [number, number, number, number];
    const nodeName = `sidecal-test-${port}@localhost`;
    const home = path.join(dir, 'home');
    for (const d of ['mnesia', 'log', 'home']) await fsp.mkdir(path.join(dir, d));
    const conf = [
      `listeners.tcp.1 = 127.0.0.1:${port}`,
      'log.console = true',
      'log.console.level = info',
      'log.file = false',
      ...(management ? [`management.tcp.ip = 127.0.0.1`, `management.tcp.port = ${mgmtPort}`] : []),
      '',
    ].join('\n');
    await fsp.writeFile(path.join(dir, 'rabbitmq.conf'), conf);
    await fsp.writeFile(path.join(dir, 'enabled_plugins'), management ? '[rabbitmq_management].\n' : '[].\n');
    await fsp.writeFile(path.join(dir, 'rabbitmq-env.conf'), '');
    // -start_epmd false: use our epmd only, never daemonize one that would outlive stop().
    const loopbackDist = '-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false';
    // The syslog app opens a UDP sender socket while the node boots: keep it on loopback too.
    const loopbackSyslog = '-syslog protocol {rfc3164,udp,[{ip,{127,0,0,1}}]}';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home, // the Erlang cookie lives here
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(dir, 'log'),
      RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
      RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `${loopbackDist} ${loopbackSyslog}`,
      RABBITMQ_CTL_ERL_ARGS: loopbackDist,
      ERL_EPMD_ADDRESS: '127.0.0.1',
      ERL_EPMD_PORT: String(epmdPort),
    };

    // Our own epmd, so that nothing outlives stop() and nothing clashes with a system epmd on 4369.
    epmd = spawnServer({
      name: 'rabbitmq-epmd',
      command: epmdBin,
      args: ['-port', String(epmdPort), '-address', '127.0.0.1'],
      env,
      logFile: epmdLog,
      cwd: dir,
    });

    const url = `amqp://guest:guest@127.0.0.1:${port}`;
    const managementUrl = management ? `http://guest:guest@127.0.0.1:${mgmtPort}` : undefined;
    const d = dir;
    const lf = logFile;

    let stopped = false;
    const startBroker = async () => {
      if (stopped) throw new Error('RabbitMQ backend already stopped');
      if (broker && !broker.exit) throw new Error('broker already running');
      const t = Date.now();
      const p = spawnServer({ name: 'rabbitmq', command: server, args: [], env, logFile: lf, cwd: d, signalLeaderOnly: true });
      broker = p;
      await waitUntil(`AMQP on 127.0.0.1:${port}`, () => amqpReady(url), {
        timeoutMs: startTimeoutMs,
        intervalMs: 250,
        proc: p,
      });
      if (managementUrl) {
        await waitUntil(
          'management API',
          async () => (await fetch(`http://127.0.0.1:${mgmtPort}/api/overview`, { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } })).ok,
          { timeoutMs: 60_000, intervalMs: 250, proc: p },
        );
      }
      return Date.now() - t;
    };
    const stopBroker = async ({ kill = false } = {}) => {
      const p = broker;
      if (!p || p.exit) return;
      await p.stop(kill ? { signal: 'SIGKILL', timeoutMs: 10_000 } : { timeoutMs: 60_000 });
    };

    await startBroker();
    log('rabbitmq', `ready at ${url}${managementUrl ? ` (management ${managementUrl.replace('guest:guest@', '')})` : ''} in ${secondsSince(t0)} s`);

    const ep = epmd;
    return {
      env: managementUrl ? { RABBITMQ_URI: url, RABBITMQ_MANAGEMENT_URI: managementUrl } : { RABBITMQ_URI: url },
      url,
      port,
      managementUrl,
      nodeName,
      logFile: lf,
      stopBroker,
      async startBroker() {
        await startBroker();
      },
      async restart({ kill = false, downtimeMs = 0 } = {}) {
        const t = Date.now();
        await stopBroker({ kill });
        if (downtimeMs > 0) await new Promise((r) => setTimeout(r, downtimeMs));
        await startBroker(); // throws if stop() was called meanwhile
        log('rabbitmq', `restarted in ${secondsSince(t)} s`);
      },
      isRunning() {
        return !!broker && !broker.exit;
      },
      async ctl(args: string[]) {
        const { stdout } = await run(ctlBin, ['-n', nodeName, '-q', ...args], { env, timeoutMs: 60_000 });
        return stdout;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        const kill = !!managementUrl && process.env.SIDECAL_TEST_KEEP_DATA !== '1';
        await stopBroker({ kill });
        // a broker that a concurrent restart() spawned meanwhile
        await stopBroker({ kill });
        await ep.stop({ timeoutMs: 5_000 });
        await removeTempDir(d);
      },
    };
  } catch (err) {
    return failStart('RabbitMQ', err, RABBITMQ_ENV_HINT, logFile, { procs: [broker, epmd], dir });
  }
}
