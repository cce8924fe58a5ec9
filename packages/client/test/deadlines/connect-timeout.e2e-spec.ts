import { isUpstreamUnreachableError } from '@nestmesh/client';
import { startSilentServer, waitFor, type SilentServer } from '@nestmesh/testing';
import { bootClientApp, rejection } from '../support/client-app.js';

/**
 * `pool.connectTimeout` holds to the millisecond while a connection is being made, a TLS handshake included: undici's
 * own connect timer ticks at about 1 s, so with it a 300 ms connect timeout under an 800 ms deadline ended as the
 * deadline (ServiceTimeoutError), not as the connect failure it is.
 */
describe('pool.connectTimeout while a TLS handshake never completes (a real TCP server that accepts and stays silent)', () => {
  let silent: SilentServer;

  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(() => silent?.close());

  it('fails the attempt as a connect timeout at connectTimeout, well before the deadline, and closes the connection', async () => {
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: {} },
      clients: { services: { silent: { origin: `https://127.0.0.1:${silent.port}`, pool: { connectTimeout: 300 }, deadline: 800, retry: false } } },
    });
    try {
      const error = await rejection(app.client('silent').get('/'));
      expect(isUpstreamUnreachableError(error)).toBe(true);
      expect((error as Error).message).toContain('UND_ERR_CONNECT_TIMEOUT');
      await waitFor(() => silent.open.size === 0, { timeout: 2_000, description: 'the client closed the connection' });
    } finally {
      await app.close();
    }
  });
});
