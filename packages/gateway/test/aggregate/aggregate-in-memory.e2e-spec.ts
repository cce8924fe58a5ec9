import { CapturingLogger, waitFor, type BootedNestApp } from '@nestmesh/testing';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { startOrdersHybrid, type OrdersHits } from '../support/orders-hybrid.js';
import { rawRequest } from '../support/raw-request.js';

describe('aggregation routes over the in-memory registry (a real hybrid Nest app in the same process)', () => {
  let orders: BootedNestApp;
  const hits: OrdersHits = new Map();
  beforeAll(async () => {
    orders = await startOrdersHybrid({ registry: 'in-memory' }, hits);
  });
  afterAll(() => orders?.close());

  it.each(PLATFORMS)('merges an HTTP leg and a TCP leg (the TCP port the app registered) on %s', async (platform) => {
    const gateway = await bootGatewayApp({
      platform,
      discovery: { registry: 'in-memory' },
      gateway: { routes: [{ id: 'dashboard', path: '/api/dashboard', aggregate: { timeout: '2s', legs: { orders: { service: 'orders', path: '/orders' }, stats: { service: 'orders', pattern: 'orders.stats' } } } }] },
    });
    try {
      const answer = await waitFor(
        async () => {
          const got = await rawRequest(`${gateway.url}/api/dashboard`);
          return got.headers['x-nestmesh-completed'] === 'true' ? got : undefined;
        },
        { timeout: 10_000, description: 'a complete answer' },
      );
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ orders: [expect.objectContaining({ id: 1 }), expect.objectContaining({ id: 2 })], stats: { count: 2, quantity: 7 } });
    } finally {
      await gateway.close();
    }
  });

  it.each(PLATFORMS)('logs a leg whose service has no instance once per outage, naming the route and the leg, and tells the client nothing internal, on %s', async (platform) => {
    const service = `billing-${platform}`;
    const logger = new CapturingLogger();
    const gateway = await bootGatewayApp({
      platform,
      logger,
      discovery: { registry: 'in-memory' },
      gateway: {
        routes: [
          {
            id: 'overview',
            path: '/overview',
            aggregate: { legs: { orders: { service: 'orders', path: '/orders' }, invoices: { service, path: '/invoices' }, totals: { service, pattern: 'billing.totals' } } },
          },
        ],
      },
    });
    try {
      // The orders leg answers once this gateway discovered orders; the billing legs fail all along (logged once).
      await waitFor(async () => (await rawRequest(`${gateway.url}/overview`)).json<{ orders?: unknown }>().orders !== undefined, { timeout: 10_000, description: 'orders discovered' });
      for (let call = 0; call < 3; call += 1) {
        const answer = await rawRequest(`${gateway.url}/overview`);
        expect(answer.status).toBe(200);
        expect(answer.headers['x-nestmesh-completed']).toBe('false');
        const noInstance = { status: 502, title: 'Bad Gateway', detail: 'No instance of the upstream service is available.' };
        expect(answer.json<{ errors: object }>().errors).toEqual({ invoices: noInstance, totals: noInstance });
        expect(answer.body).not.toContain(service);
      }
      const lines = logger.matching(new RegExp(`"${service}"`)).filter((line) => line.level === 'warn');
      expect(lines.map((line) => line.message.replace(/ is available \(.*\) The leg fails/, ' is available (...) The leg fails'))).toEqual([
        `Route "overview", leg "invoices": no instance of service "${service}" is available (...) The leg fails (502) in the route's answers until an instance answers; logged once per outage.`,
        `Route "overview", leg "totals": no instance of service "${service}" is available (...) The leg fails (502) in the route's answers until an instance answers; logged once per outage.`,
      ]);
    } finally {
      await gateway.close();
    }
  });
});
