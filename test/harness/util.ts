/**
 * Shared helpers of the real-backend test harness: child server processes,
 * temp dirs, readiness polling and the error every backend throws when it
 * cannot be brought up.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Prints a harness progress line on stderr (test output stays on stdout). */
export function log(backend: string, msg: string): void {
  if (process.env.SIDECAL_TEST_QUIET === '1') return;
  process.stderr.write(`[harness:${backend}] ${msg}\n`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Last `n` lines of a text file ('' if it cannot be read). */
export function tailFile(file: string, n = 30): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-n).join('\n');
  } catch {
    return '';
  }
}

/**
 * Thrown when a backend cannot be installed or started. Its message names the
 * backend, the reason, the end of the server's log, and the environment
 * variable(s) that point the tests at an existing server instead.
 */
export class BackendStartError extends Error {
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly envHint: string,
    readonly logFile?: string,
  ) {
    const parts = [`[sidecal-test] Could not start the ${backend} test backend: ${reason}`];
    if (logFile) {
      const tail = tailFile(logFile, 30);
      parts.push(
        tail
          ? `--- last lines of ${logFile} ---\n${tail}\n--- end of log ---`
          : `(log file ${logFile} is empty)`,
      );
    }
    parts.push(`To use your own ${backend} server instead, set ${envHint}.`);
    parts.push('To skip the real-backend tests entirely, run with SIDECAL_SKIP_REAL=1 (npm run test:unit).');
    super(parts.join('\n'));
    this.name = 'BackendStartError';
  }
}

/** The idempotent stop of a single-process backend: stops the server, then removes its temp dir. */
function stopOnce(proc: ServerProcess, dir: string, timeoutMs = 10_000): () => Promise<void> {
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    await proc.stop({ timeoutMs });
    await removeTempDir(dir);
  };
}

/**
 * Cleans up after a backend that failed to start and throws the error naming it. The error is built before the temp
 * dir goes, so that it still carries the end of the server's log.
 */
export async function failStart(
  backend: string,
  err: unknown,
  envHint: string,
  logFile: string | undefined,
  cleanup: { procs?: (ServerProcess | undefined)[]; dir?: string },
): Promise<never> {
  for (const proc of cleanup.procs ?? []) await proc?.stop({ timeoutMs: 5_000 }).catch(() => undefined);
  const e = new BackendStartError(backend, (err as Error).message, envHint, logFile);
  if (cleanup.dir) await removeTempDir(cleanup.dir).catch(() => undefined);
  throw e;
}

/** How `prepare` asks startServerBackend() to run a backend's server. */
export interface ServerLaunch<T> {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Working directory of the server (default: the temp dir). */
  cwd?: string;
  /** The readiness poll (see waitUntil). */
  ready: { what: string; check: () => Promise<boolean>; timeoutMs: number; intervalMs: number };
  /** Logged once ready, followed by the time the start took. */
  readyMessage: string;
  /** The backend's own fields of its handle (env, url, port, ...). */
  backend: T;
}

/**
 * The life of a single-process backend: a temp dir holding the server's log file (`logName`), `prepare` (installs,
 * config files, ports) run with it, the server spawned and polled until ready, then a handle whose stop() stops the
 * server and removes the dir, once. On any failure the server is stopped, the dir removed and a BackendStartError
 * naming `label` (with the log's last lines and `envHint`) thrown.
 */
export async function startServerBackend<T extends object>(spec: {
  name: string;
  label: string;
  envHint: string;
  logName: string;
  stopTimeoutMs?: number;
  prepare(dir: string): Promise<ServerLaunch<T>>;
}): Promise<T & { logFile: string; stop(): Promise<void> }> {
  const t0 = Date.now();
  let dir: string | undefined;
  let proc: ServerProcess | undefined;
  let logFile: string | undefined;
  try {
    dir = await makeTempDir(spec.name);
    logFile = path.join(dir, spec.logName);
    const launch = await spec.prepare(dir);
    proc = spawnServer({ name: spec.name, command: launch.command, args: launch.args, env: launch.env, cwd: launch.cwd ?? dir, logFile });
    const { what, check, ...ready } = launch.ready;
    await waitUntil(what, check, { ...ready, proc });
    log(spec.name, `${launch.readyMessage} in ${secondsSince(t0)} s`);
    return { ...launch.backend, logFile, stop: stopOnce(proc, dir, spec.stopTimeoutMs) };
  } catch (err) {
    return failStart(spec.label, err, spec.envHint, logFile, { procs: [proc], dir });
  }
}

// ---------------------------------------------------------------------------
// temp dirs

const tempDirs = new Set<string>();

/** A fresh directory under the OS temp dir, removed by removeTempDir(). */
export async function makeTempDir(name: string): Promise<string> {
  installExitHook();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `sidecal-test-${name}-`));
  tempDirs.add(dir);
  return dir;
}

/** Removes a temp dir made by makeTempDir (kept if SIDECAL_TEST_KEEP_DATA=1). */
export async function removeTempDir(dir: string): Promise<void> {
  tempDirs.delete(dir);
  if (process.env.SIDECAL_TEST_KEEP_DATA === '1') return;
  await fsp.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

// ---------------------------------------------------------------------------
// running commands

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      {
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 10 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
        killSignal: 'SIGKILL',
      },
      (err, stdout, stderr) => {
        if (err) {
          const e = new Error(
            `command failed: ${cmd} ${args.join(' ')}\n${(err as Error).message}\n${String(stdout).slice(-4000)}\n${String(stderr).slice(-4000)}`,
          );
          reject(e);
        } else resolve({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Path of an executable found in PATH (or in extra dirs), or undefined. */
export function which(cmd: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...extraDirs, '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// server processes

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Set once the process has exited. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves when the process exits. */
  readonly exited: Promise<void>;
  /** SIGTERM to the whole process group, SIGKILL after `timeoutMs`. */
  stop(opts?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<void>;
}

const liveGroups = new Map<number, string>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * True while any non-zombie process of process group `pgid` exists
 * (Linux /proc scan; falls back to kill(-pgid, 0) elsewhere).
 */
export function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...; comm may contain spaces/parens.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] !== 'Z' && Number(rest[2]) === pgid) return true;
  }
  return false;
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: never leave a server behind when this process goes away.
  process.on('exit', () => {
    for (const pid of liveGroups.keys()) killGroup(pid, 'SIGKILL');
    if (process.env.SIDECAL_TEST_KEEP_DATA === '1') return;
    for (const dir of tempDirs) {
      try {
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      } catch {
        /* best effort */
      }
    }
  });
}

/**
 * Starts a long-running server in its own process group, with stdout and
 * stderr appended to `logFile`.
 */
export function spawnServer(opts: {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Send the stop signal to the group leader only (it forwards it itself). */
  signalLeaderOnly?: boolean;
}): ServerProcess {
  installExitHook();
  const fd = fs.openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    fs.closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    child.once('error', () => undefined); // reported by the throw below
    throw new Error(`could not run ${opts.command} (not found or not executable)`);
  }
  liveGroups.set(pid, opts.name);
  child.unref();

  let exit: ServerProcess['exit'];
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (err) => {
      fs.appendFileSync(opts.logFile, `\n[harness] spawn error: ${err.message}\n`);
      exit = { code: -1, signal: null };
      resolve();
    });
  });

  const proc: ServerProcess = {
    name: opts.name,
    pid,
    logFile: opts.logFile,
    get exit() {
      return exit;
    },
    exited,
    async stop({ signal = 'SIGTERM', timeoutMs = 20_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      if (groupAlive(pid)) {
        if (opts.signalLeaderOnly && exit === undefined && signal !== 'SIGKILL') {
          try {
            process.kill(pid, signal);
          } catch {
            /* gone */
          }
        } else killGroup(pid, signal);
        // Wait for the leader *and* every process of its group (a wrapper
        // script may exit before the server it started).
        while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
        if (groupAlive(pid)) {
          log(opts.name, `did not stop within ${timeoutMs} ms after ${signal}, sending SIGKILL`);
          killGroup(pid, 'SIGKILL');
          const killDeadline = Date.now() + 10_000;
          while (groupAlive(pid) && Date.now() < killDeadline) await sleep(100);
        }
      }
      if (exit === undefined) {
        await Promise.race([exited, sleep(2000)]);
      }
      liveGroups.delete(pid);
    },
  };
  return proc;
}

/**
 * Polls `check` until it returns true. Fails early when `proc` exits, and
 * after `timeoutMs` with the last error seen.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; proc?: ServerProcess },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastErr = '';
  for (;;) {
    if (opts.proc?.exit) {
      const e = opts.proc.exit;
      throw new Error(
        `the server process exited before it was ready (${e.signal ? `signal ${e.signal}` : `exit code ${e.code}`})`,
      );
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastErr = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`not ready after ${Math.round(opts.timeoutMs / 1000)} s waiting for ${what}${lastErr ? ` (last error: ${lastErr})` : ''}`);
    }
    await sleep(opts.intervalMs ?? 200);
  }
}

/** Seconds since `t0` (from Date.now()), one decimal. */
export function secondsSince(t0: number): string {
  return ((Date.now() - t0) / 1000).toFixed(1);
}

/** Common shape of every started backend. */
export interface StartedBackend {
  /** Environment variables pointing a client at this backend. */
  env: Record<string, string>;
  /** Stops the server and removes its data; safe to call twice. */
  stop(): Promise<void>;
}
