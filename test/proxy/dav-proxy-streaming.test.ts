import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { startSidecal } from '../../src/main.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';
import { silentLogger, testConfig } from '../support/sidecal.js';

const alice = `Basic ${Buffer.from('alice@linagora.com:alice-pw').toString('base64')}`;
const CHUNK = Buffer.alloc(64 * 1024, 120);
const OFFERED = 1024 * 1024 * 1024;

/** An upstream offering 1 GiB (declared or chunked), written only as fast as the socket takes it. */
function endlessUpstream(): { server: Server; written: () => number; closed: Promise<void> } {
  let written = 0;
  let onClose!: () => void;
  const closed = new Promise<void>((r) => (onClose = r));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    res.on('close', onClose);
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...(req.url!.includes('declared') ? { 'content-length': OFFERED } : {}) });
    const write = () => {
      while (written < OFFERED && !res.destroyed) {
        written += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', write);
      }
    };
    write();
  });
  return { server, written: () => written, closed };
}

/** A GET through sidecal over a real socket; resolves once the status arrived, with the (paused) reply. */
function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: alice } }, (res) => {
      res.pause();
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('DAV proxy streaming over real sockets', () => {
  for (const kind of ['declared', 'chunked']) {
    test(`a caller that does not read holds the upstream back, and leaving aborts it (${kind} length)`, { timeout: 15_000 }, async () => {
      const fresh = endlessUpstream();
      const url = await listenOnLoopback(fresh.server);
      const side = await startSidecal(testConfig({ DAV_URL: `${url}/`, REST_API_PORT: '0', REST_API_HOST: '127.0.0.1', WEBADMIN_PORT: '0', WEBADMIN_HOST: '127.0.0.1' }), { logger: silentLogger });
      try {
        await side.webadmin!.inject({ method: 'PUT', url: '/users/alice@linagora.com', payload: { password: 'alice-pw' } });
        const res = await get(`${side.restUrl}/dav/${kind}/big`);
        assert.equal(res.statusCode, 200);
        await new Promise((r) => setTimeout(r, 1000));
        // Socket buffers on both legs plus one stream buffer, not the body: without backpressure the upstream would
        // have written hundreds of MiB in that second.
        const held = fresh.written();
        assert.ok(held < 32 * 1024 * 1024, `the upstream wrote ${held} bytes to a caller that read none`);
        res.destroy();
        await fresh.closed; // the upstream exchange is aborted, not left running (the test times out otherwise)
        assert.ok(fresh.written() < OFFERED);
      } finally {
        await side.close();
        await closeServer(fresh.server);
      }
    });
  }
});
