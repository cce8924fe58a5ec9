import { InMemoryServiceRegistry } from '@nestmesh/discovery';
import { CapturingLogger, startHttpUpstream, waitFor, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { websocketExchange } from '../support/websocket-exchange.js';

describe('a route whose service has no instance (real Nest apps, the in-memory registry of this process)', () => {
  let upstream: HttpUpstream;
  beforeAll(async () => {
    upstream = await startHttpUpstream((_request, response) => {
      response.end('ok');
    });
  });
  afterAll(() => upstream?.close());

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

  it.each(PLATFORMS)('logs the outage once for WebSocket upgrades too on %s (503 on the socket, the service named only in the log)', async (platform) => {
    const service = `chat-${platform}`;
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
      const lines = logger.matching(new RegExp(`"${service}"`)).filter((line) => line.level === 'warn');
      expect(lines.map((line) => line.message)).toEqual([expect.stringMatching(new RegExp(`^Route "chat-socket": no instance of service "${service}" is available \\(`))]);
    } finally {
      await gateway.close();
    }
  });
});
