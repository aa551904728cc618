/**
 * OpenSearch 2.x (minimal distribution from Maven Central + extra modules),
 * single node on 127.0.0.1, security off, data in a temp dir, run as the
 * unprivileged `sidecal-test` user when we are root.
 *
 * Env: OPENSEARCH_URL. Heap: SIDECAL_OPENSEARCH_JAVA_OPTS (default -Xms512m -Xmx512m).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ensureJava, ensureOpenSearch, ensureTestUser, OPENSEARCH_VERSION } from './install.js';
import { getFreePorts } from './ports.js';
import { run, startServerBackend, which, type StartedBackend } from './util.js';

export const OPENSEARCH_ENV_HINT = 'OPENSEARCH_URL (e.g. OPENSEARCH_URL=http://127.0.0.1:9200)';

export interface OpenSearchBackend extends StartedBackend {
  env: { OPENSEARCH_URL: string };
  url: string;
  port: number;
  version: string;
  logFile: string;
}

async function fetchJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

export function startOpenSearch(opts: { startTimeoutMs?: number } = {}): Promise<OpenSearchBackend> {
  return startServerBackend({
    name: 'opensearch',
    label: 'OpenSearch',
    envHint: OPENSEARCH_ENV_HINT,
    logName: 'opensearch.out.log',
    stopTimeoutMs: 30_000,
    async prepare(dir) {
      const [cached, java] = await Promise.all([ensureOpenSearch(), ensureJava()]);
      const asRoot = process.getuid?.() === 0;
      const user = asRoot ? await ensureTestUser() : undefined;

      await fsp.chmod(dir, 0o755);
      const home = path.join(dir, 'home');
      const conf = path.join(dir, 'config');
      const data = path.join(dir, 'data');
      const logs = path.join(dir, 'logs');
      const tmp = path.join(dir, 'tmp');
      // The cache usually lives under /root (mode 0700), out of the test user's
      // reach: give it a hard-linked (or copied) view of the install.
      await run('cp', ['-al', cached, home]).catch(() => run('cp', ['-a', cached, home]));
      await fsp.cp(path.join(cached, 'config'), conf, { recursive: true });
      await Promise.all([data, logs, tmp].map((d) => fsp.mkdir(d, { recursive: true })));

      const [httpPort, transportPort] = (await getFreePorts(2)) as [number, number];
      await fsp.writeFile(
        path.join(conf, 'opensearch.yml'),
        [
          'cluster.name: sidecal-test',
          'node.name: sidecal-test',
          'discovery.type: single-node',
          'network.host: 127.0.0.1',
          `http.port: ${httpPort}`,
          `transport.port: ${transportPort}`,
          `path.data: ${data}`,
          `path.logs: ${logs}`,
          // Never turn indices read-only because the test machine's disk is full-ish.
          'cluster.routing.allocation.disk.threshold_enabled: false',
          '',
        ].join('\n'),
      );
      // jvm.options uses paths relative to the install dir (not writable by the user).
      const jvmFile = path.join(conf, 'jvm.options');
      const jvm = (await fsp.readFile(jvmFile, 'utf8'))
        .replace(/^-Xm[sx]\S+$/gm, '')
        .replace(/logs\/gc\.log/g, path.join(logs, 'gc.log'))
        .replace(/HeapDumpPath=data/g, `HeapDumpPath=${data}`)
        .replace(/ErrorFile=logs\//g, `ErrorFile=${logs}/`);
      // -XX:-UsePerfData: no /tmp/hsperfdata_<user> left behind.
      await fsp.writeFile(jvmFile, `${jvm}\n-XX:-UsePerfData\n`);
      if (user) await run('chown', ['-R', `${user.uid}:${user.gid}`, conf, data, logs, tmp]);

      const env: NodeJS.ProcessEnv = {
        ...process.env,
        JAVA_HOME: java.javaHome,
        OPENSEARCH_JAVA_HOME: java.javaHome,
        OPENSEARCH_PATH_CONF: conf,
        OPENSEARCH_TMPDIR: tmp,
        OPENSEARCH_JAVA_OPTS: process.env.SIDECAL_OPENSEARCH_JAVA_OPTS ?? '-Xms512m -Xmx512m',
        HOME: tmp,
      };
      const bin = path.join(home, 'bin', 'opensearch');
      const setpriv = which('setpriv');
      const [command, args] =
        user && setpriv
          ? [setpriv, [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', bin]]
          : user
            ? ['runuser', ['-u', user.name, '--', bin]]
            : [bin, []];
      const url = `http://127.0.0.1:${httpPort}`;
      return {
        command,
        args,
        env,
        cwd: tmp,
        ready: {
          what: `${url}/_cluster/health?wait_for_status=yellow`,
          check: async () => (await fetchJson(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`)).status === 200,
          timeoutMs: opts.startTimeoutMs ?? 180_000,
          intervalMs: 500,
        },
        readyMessage: `OpenSearch ${OPENSEARCH_VERSION} (Java ${java.major}) ready at ${url}`,
        backend: { env: { OPENSEARCH_URL: url }, url, port: httpPort, version: OPENSEARCH_VERSION },
      };
    },
  });
}
