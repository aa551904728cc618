import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test HTTP fixtures (stub IdP, faulty proxy, emulators) listen on 127.0.0.1 on a free port. The listening socket is
 * unref'd: a test that fails before closing its fixture must not keep its process alive.
 */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Drops kept-alive connections, then closes; a fixture never started closes at once. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
