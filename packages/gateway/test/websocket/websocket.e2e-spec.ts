import { startConsulAgent, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { hashApiKey } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { websocketExchange as exchange } from '../support/websocket-exchange.js';

/** A real WebSocket server echoing each message with the path and the identity header it saw. */
async function startEchoSockets(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket, request) => socket.on('message', (data) => socket.send(JSON.stringify({ url: request.url, user: request.headers['x-user-id'] ?? null, text: String(data) }))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('WebSocket upgrades pass through the gateway (real Consul, real WebSocket server)', () => {
  let consul: ConsulAgent;
  let upstream: { server: Server; port: number };

  beforeAll(async () => {
    consul = await startConsulAgent();
    upstream = await startEchoSockets();
    await consul.put('/v1/agent/service/register', { ID: 'chat-0', Name: 'chat', Address: '127.0.0.1', Port: upstream.port });
  });
  afterAll(async () => {
    upstream.server.closeAllConnections();
    await new Promise((resolve) => upstream.server.close(resolve));
    await consul?.stop();
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        discovery: { registry: 'consul', consul: { address: consul.httpAddr } },
        gateway: {
          routes: [
            { prefix: '/chat', service: 'chat', rewrite: '/rooms/*', auth: 'api-key', websocket: true },
            { prefix: '/open', url: `http://127.0.0.1:${upstream.port}`, websocket: true },
          ],
          auth: { apiKeys: [{ id: 'alice', hash: hashApiKey('alice-key-0123456789'), subject: 'alice' }] },
        },
      });
    });
    afterAll(() => gateway?.close());

    const ws = (path: string) => `${gateway.url.replace('http', 'ws')}${path}`;

    it('tunnels an authenticated upgrade to a discovered instance, path rewritten, identity set by the gateway', async () => {
      const { status, reply } = await exchange(ws('/chat/42?x=1'), { 'x-api-key': 'alice-key-0123456789', 'x-user-id': 'mallory' });
      expect(status).toBe(101);
      expect(reply).toEqual({ url: '/rooms/42?x=1', user: 'alice', text: 'hello' });
      expect((await exchange(ws('/open/plain'))).reply).toMatchObject({ url: '/open/plain', user: null });
    });

    it('refuses an upgrade without a credential (401), and answers one no route or app handler takes as a request (404)', async () => {
      expect((await exchange(ws('/chat/42'))).status).toBe(401);
      expect((await exchange(ws('/chat/42'), { 'x-api-key': 'wrong-key-0123456789' })).status).toBe(401);
      // Nobody takes it: a plain request then, as without the gateway (the app's 404, not a dropped connection).
      expect((await exchange(ws('/nowhere'))).status).toBe(404);
    });
  });
});
