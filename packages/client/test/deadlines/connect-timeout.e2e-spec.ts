import { isUpstreamUnreachableError } from '@nestmesh/client';
import { waitFor } from '@nestmesh/testing';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { bootClientApp, rejection } from '../support/client-app.js';

/**
 * `pool.connectTimeout` holds to the millisecond while a connection is being made, a TLS handshake included: undici's
 * own connect timer ticks at about 1 s, so with it a 300 ms connect timeout under an 800 ms deadline ended as the
 * deadline (ServiceTimeoutError), not as the connect failure it is.
 */
describe('pool.connectTimeout while a TLS handshake never completes (a real TCP server that accepts and stays silent)', () => {
  let server: Server;
  let port: number;
  const open = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((socket) => {
      open.add(socket);
      socket.resume(); // read (and drop) the ClientHello: an unread socket never sees its peer close
      socket.on('error', () => undefined);
      socket.once('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails the attempt as a connect timeout at connectTimeout, well before the deadline, and closes the connection', async () => {
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: {} },
      clients: { services: { silent: { origin: `https://127.0.0.1:${port}`, pool: { connectTimeout: 300 }, deadline: 800, retry: false } } },
    });
    try {
      const error = await rejection(app.client('silent').get('/'));
      expect(isUpstreamUnreachableError(error)).toBe(true);
      expect((error as Error).message).toContain('UND_ERR_CONNECT_TIMEOUT');
      await waitFor(() => open.size === 0, { timeout: 2_000, description: 'the client closed the connection' });
    } finally {
      await app.close();
    }
  });
});
