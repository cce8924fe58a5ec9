import { waitFor } from '@nestmesh/testing';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { getServiceClientProxyToken, type ServiceClientProxy } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

/** An instance that accepts TCP connections and never answers nor closes its side, even after the client's FIN. */
describe('closing the app while a TCP instance never closes its side (a frozen peer)', () => {
  let server: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer({ allowHalfOpen: true }, (socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('leaves no connection open: the client side is destroyed, not only half-closed', async () => {
    const port = (server.address() as AddressInfo).port;
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { frozen: [{ id: 'frozen-0', address: '127.0.0.1', port, ports: { tcp: port } }] } },
      clients: { services: { frozen: { deadline: 200 } } },
    });
    const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('frozen'));
    await rejection(firstValueFrom(proxy.send('ping', {})));
    expect(sockets.size).toBe(1);
    await app.close();
    // Bytes the peer sends now are refused (a reset): the client's socket is gone, not just half-closed and reading.
    await waitFor(
      () => {
        for (const socket of sockets) socket.write('late');
        return sockets.size === 0;
      },
      { timeout: 3_000, description: 'the connection closed by the client' },
    );
  });
});
