import { waitFor, type BootedNestApp } from '@nestmesh/testing';
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
});
