import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { BASE_ENV } from '../support/sidecal.js';

/** Starts `src/main.ts` (or `args`) as an operator would, on random ports, and returns its log lines as they come. */
function startProcess(env: Record<string, string>, args = ['--import', 'tsx', 'src/main.ts'], cwd = process.cwd()) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', SIDECAL_CONF_DIR: '/nonexistent', ...BASE_ENV, REST_API_PORT: '0', REST_API_HOST: '127.0.0.1', WEBADMIN_PORT: '0', WEBADMIN_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ raw: line });
      }
    }
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const waitFor = async (msg: string, timeoutMs = 20_000) => {
    const start = Date.now();
    while (Date.now() - start < timeoutMs) {
      const found = lines.find((l) => l.msg === msg);
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no '${msg}' log line within ${timeoutMs} ms: ${stderr}`);
  };
  return { child, lines, waitFor, stderr: () => stderr };
}

test('the service starts on its embedded defaults, answers on both ports, and stops cleanly on SIGTERM', async () => {
  const p = startProcess({});
  const started = (await p.waitFor('sidecal started')) as { rest: string; webadmin: string };
  const health = await fetch(`${started.webadmin}/healthcheck`);
  assert.equal(health.status, 200);
  const rest = await fetch(`${started.rest}/api/this-route-does-not-exist`);
  assert.equal(rest.status, 404);
  assert.equal(rest.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.ok(p.lines.some((l) => l.msg === 'storage: in memory (mongo.url not set): data is lost on restart'), 'memory backends are logged');
  p.child.kill('SIGTERM');
  const [code] = await once(p.child, 'exit');
  assert.equal(code, 0);
  assert.ok(p.lines.some((l) => l.msg === 'stopped'));
});

test('a bad configuration stops start-up with every problem listed and exit status 2', async () => {
  const p = startProcess({ REST_API_PORT: 'eighty', DAV_URL: '', JWT_KEY_VALIDITY: 'never' });
  const [code] = await once(p.child, 'exit');
  assert.equal(code, 2);
  const fatal = p.lines.find((l) => l.level === 60) as { problems: string[] } | undefined;
  assert.ok(fatal, p.stderr());
  assert.equal(fatal.problems.length, 3);
  assert.ok(fatal.problems.some((x) => x.includes('rest.api.port')));
  assert.ok(fatal.problems.some((x) => x.includes('dav.url')));
  assert.ok(fatal.problems.some((x) => x.includes('jwt.key.validity')));
});

test('the compiled build, laid out as in the Docker image (dist/src, assets and templates beside it), starts and serves', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sidecal-dist-'));
  try {
    execFileSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(root, 'dist')], { stdio: 'pipe' });
    for (const dir of ['node_modules', 'assets', 'templates']) symlinkSync(resolve(dir), join(root, dir));
    const p = startProcess({ NODE_ENV: 'production' }, ['dist/src/main.js'], root);
    const started = (await p.waitFor('sidecal started')) as { rest: string; webadmin: string };
    assert.equal((await fetch(`${started.webadmin}/healthcheck`)).status, 200);
    const icon = await fetch(`${started.rest}/images/icon/car.svg`);
    assert.equal(icon.status, 200, 'resource icons found from dist/src/api');
    assert.match(await icon.text(), /<svg/);
    p.child.kill('SIGTERM');
    const [code] = await once(p.child, 'exit');
    assert.equal(code, 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
