import { InMemoryServiceRegistry } from '@nestmesh/discovery';
import { CapturingLogger, startHttpUpstream, waitFor, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { websocketExchange } from '../support/websocket-exchange.js';

describe('a route whose service has no instance (real Nest apps, the in-memory registry of this process)', () => {
  let upstream: HttpUpstream;
  let sockets: { server: Server; port: number };
  beforeAll(async () => {
    upstream = await startHttpUpstream((_request, response) => {
      response.end('ok');
    });
    // A real WebSocket server answering each message with JSON, for the upgrade case.
    const server = createServer();
    new WebSocketServer({ server }).on('connection', (socket) => socket.on('message', () => socket.send('{"ok":true}')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sockets = { server, port: (server.address() as AddressInfo).port };
  });
  afterAll(async () => {
    await upstream?.close();
    sockets?.server.closeAllConnections();
    await new Promise((resolve) => sockets?.server.close(resolve));
  });

  it.each(PLATFORMS)('logs the service and route once per outage on %s, and tells the client nothing internal', async (platform) => {
    const service = `billing-${platform}`;
    const registry = new InMemoryServiceRegistry();
    const instance = { id: `${service}-1`, name: service, address: '127.0.0.1', port: upstream.port, tags: [], meta: {}, weight: 1, ports: {} };
    const logger = new CapturingLogger();
    const gateway: BootedNestApp = await bootGatewayApp({
      platform,
      logger,
      discovery: { registry: 'in-memory', shutdown: { drainDelay: 0 } },
      gateway: { routes: [{ id: 'billing-api', prefix: '/api/billing', service }] },
    });
    const outageLines = () => logger.matching(new RegExp(`"${service}"`)).filter((line) => line.level === 'warn');
    const get = async () => {
      const answer = await fetch(`${gateway.url}/api/billing/invoices`);
      return { status: answer.status, body: await answer.text() };
    };
    try {
      // First outage: two requests, one line naming the service and the route.
      const first = await get();
      expect(first.status).toBe(503);
      expect(first.body).not.toContain(service);
      expect(first.body).not.toContain('in-memory');
      expect((await get()).status).toBe(503);
      expect(outageLines()).toHaveLength(1);
      expect(outageLines()[0].message).toMatch(new RegExp(`^Route "billing-api": no instance of service "${service}" is available \\(`));
      expect(outageLines()[0].message).toContain('in the in-memory registry of this process');

      // The instance comes back: answers flow, nothing more is logged as a failure.
      await registry.register(instance);
      await waitFor(async () => (await get()).status === 200, { timeout: 15_000, description: 'the instance answers through the gateway' });
      expect(outageLines()).toHaveLength(1);
      expect(logger.matching(new RegExp(`^Service "${service}" answers again\\.$`))).toHaveLength(1);

      // Gone again: a second outage, a second line (once, however many requests fail).
      await registry.deregister(instance.id);
      await waitFor(async () => (await get()).status === 503, { timeout: 15_000, description: 'the gateway sees the instance gone' });
      expect((await get()).status).toBe(503);
      expect(outageLines()).toHaveLength(2);
    } finally {
      await registry.deregister(instance.id).catch(() => undefined);
      await gateway.close();
    }
  });

  it.each(PLATFORMS)('logs the outage once for WebSocket upgrades too on %s (503 on the socket, the service named only in the log), and its end once a tunnel opens', async (platform) => {
    const service = `chat-${platform}`;
    const registry = new InMemoryServiceRegistry();
    const instance = { id: `${service}-1`, name: service, address: '127.0.0.1', port: sockets.port, tags: [], meta: {}, weight: 1, ports: {} };
    const logger = new CapturingLogger();
    const gateway: BootedNestApp = await bootGatewayApp({
      platform,
      logger,
      discovery: { registry: 'in-memory', shutdown: { drainDelay: 0 } },
      gateway: { routes: [{ id: 'chat-socket', prefix: '/chat', service, websocket: true }] },
    });
    try {
      const url = `${gateway.url.replace(/^http/, 'ws')}/chat/room`;
      const first = await websocketExchange(url);
      expect(first.status).toBe(503);
      expect(first.body).not.toContain(service);
      expect((await websocketExchange(url)).status).toBe(503);
      const lines = () => logger.matching(new RegExp(`"${service}"`)).filter((line) => line.level === 'warn');
      expect(lines().map((line) => line.message)).toEqual([expect.stringMatching(new RegExp(`^Route "chat-socket": no instance of service "${service}" is available \\(`))]);

      // An instance comes back: the tunnel opens, the outage ends once, and nothing more is logged as a failure.
      await registry.register(instance);
      await waitFor(async () => (await websocketExchange(url)).status === 101, { timeout: 15_000, description: 'a tunnel opens through the gateway' });
      expect(logger.matching(new RegExp(`^Service "${service}" answers again\\.$`))).toHaveLength(1);
      expect(lines()).toHaveLength(1);
    } finally {
      await registry.deregister(instance.id).catch(() => undefined);
      await gateway.close();
    }
  });
});
