import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { ServiceClients, getServiceClientProxyToken, isServiceClientConfigurationError, type ServiceClientProxy } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

/** A client used after its app closed (a provider's own shutdown hook sending a last message) opens nothing. */
describe('a service client used after its app closed', () => {
  let server: Server;
  const connections = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((socket) => {
      connections.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails at once, saying the app closed, and opens no connection (a TCP proxy first used then, a client got then)', async () => {
    const port = (server.address() as AddressInfo).port;
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { calc: [{ id: 'calc-0', address: '127.0.0.1', port, ports: { tcp: port } }] } },
      clients: { services: { calc: {} }, maxServices: 5 },
    });
    const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('calc'));
    const clients = app.app.get(ServiceClients);
    await app.close();
    const error = await rejection(firstValueFrom(proxy.send('ping', {})));
    expect(isServiceClientConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/"calc".*app.*closed/);
    const late = await rejection(Promise.resolve().then(() => clients.get('other').get('/')));
    expect((late as Error).message).toMatch(/"other".*app.*closed/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(connections.size).toBe(0);
  });
});
