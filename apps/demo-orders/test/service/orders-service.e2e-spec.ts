import type { INestApplication } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { ServiceDiscovery } from '@nestmesh/discovery';
import { ResilienceRegistry } from '@nestmesh/resilience';
import { waitFor } from '@nestmesh/testing';
import { firstValueFrom } from 'rxjs';
import { ordersTcpPort, startOrders, type OrdersServerOptions } from '../../src/bootstrap.js';
import type { Order } from '../../src/orders/order.interface.js';

/** One orders app on loopback (HTTP and TCP on free ports, in-memory registry, quiet), and a TCP client to it. */
async function boot(options: OrdersServerOptions): Promise<{ app: INestApplication; url: string; tcp: ClientProxy }> {
  const app = await startOrders({ port: 0, tcpPort: 0, host: '127.0.0.1', shutdownHooks: false, registry: 'in-memory', logger: false, drainDelayMs: 0, redisUrl: undefined, ...options });
  const tcp = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: ordersTcpPort(app) } });
  return { app, url: await app.getUrl(), tcp };
}

const post = (url: string, body: unknown) => fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('demo-orders: a hybrid app (REST and TCP) whose payments go through @nestmesh/resilience', () => {
  describe('with a payment provider that never fails (PAYMENT_FAILURE_RATE=0)', () => {
    let orders: Awaited<ReturnType<typeof boot>>;
    beforeAll(async () => {
      orders = await boot({ paymentFailureRate: 0, paymentLatencyMs: 5 });
    });
    afterAll(async () => {
      await orders?.tcp.close();
      await orders?.app.close();
    });

    it('takes an order over REST: 201, status "paid", readable by id and in the list', async () => {
      const created = await post(orders.url, { item: 'book', quantity: 2 });
      expect(created.status).toBe(201);
      const order = (await created.json()) as Order;
      expect(order).toEqual({ id: expect.stringMatching(/^[1-9]\d*$/), item: 'book', quantity: 2, status: 'paid', createdAt: expect.any(String) });
      expect(await (await fetch(`${orders.url}/orders/${order.id}`)).json()).toEqual(order);
      expect(await (await fetch(`${orders.url}/orders`)).json()).toEqual(expect.arrayContaining([order]));
    });

    it('answers orders.get and orders.stats over TCP, and registers its TCP port as ports.tcp', async () => {
      const order = (await (await post(orders.url, { item: 'pen', quantity: 3 })).json()) as Order;
      expect(await firstValueFrom(orders.tcp.send('orders.get', { id: order.id }))).toEqual(order);
      expect(await firstValueFrom(orders.tcp.send('orders.get', { id: Number(order.id) }))).toEqual(order);
      const list = (await (await fetch(`${orders.url}/orders`)).json()) as Order[];
      expect(await firstValueFrom(orders.tcp.send('orders.stats', {}))).toEqual({
        count: list.length,
        totalQuantity: list.reduce((sum, one) => sum + one.quantity, 0),
      });
      const [instance] = await orders.app.get(ServiceDiscovery).getInstances('orders');
      expect(instance).toEqual(expect.objectContaining({ port: Number(new URL(orders.url).port), ports: { tcp: ordersTcpPort(orders.app) } }));
    });

    it('answers an unknown or malformed id with a 404 / 400 error, over TCP and over REST', async () => {
      await expect(firstValueFrom(orders.tcp.send('orders.get', { id: '999999' }))).rejects.toEqual(
        expect.objectContaining({ statusCode: 404, message: 'Order "999999" does not exist.' }),
      );
      await expect(firstValueFrom(orders.tcp.send('orders.get', { id: '../1' }))).rejects.toEqual(
        expect.objectContaining({ statusCode: 400, message: 'orders.get takes { id } with a positive integer id, got {"id":"../1"}.' }),
      );
      await expect(firstValueFrom(orders.tcp.send('orders.get', {}))).rejects.toEqual(expect.objectContaining({ statusCode: 400 }));
      const missing = await fetch(`${orders.url}/orders/999999`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { message: string }).message).toBe('Order "999999" does not exist: ids are positive integers, see GET /orders.');
    });

    it('refuses what a caller must not set or cannot mean: a status of its own, an id, a huge quantity, a huge item (400, nothing stored)', async () => {
      const before = ((await (await fetch(`${orders.url}/orders`)).json()) as Order[]).length;
      for (const [body, message] of [
        [{ item: 'book', status: 'paid' }, 'Unknown field "status"'],
        [{ item: 'book', id: '1' }, 'Unknown field "id"'],
        [{ item: 'book', quantity: 1e300 }, '"quantity" must be an integer from 1 to 1000000, got 1e+300.'],
        [{ item: 'x'.repeat(10_000) }, '"item" must be at most 200 characters, got 10000.'],
        [{ item: '' }, '"item" must be a non-empty string, got "".'],
      ] as const) {
        const answer = await post(orders.url, body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(((await answer.json()) as { message: string }).message).toContain(message);
      }
      expect(((await (await fetch(`${orders.url}/orders`)).json()) as Order[]).length).toBe(before);
    });
  });

  describe('with a payment provider that always fails (PAYMENT_FAILURE_RATE=1)', () => {
    let orders: Awaited<ReturnType<typeof boot>>;
    beforeAll(async () => {
      orders = await boot({ paymentFailureRate: 1, paymentLatencyMs: 0 });
    });
    afterAll(async () => {
      await orders?.tcp.close();
      await orders?.app.close();
    });

    it('still takes every order (201), as "payment_pending": retried, then the breaker opens, the fallback keeps the order', async () => {
      const statuses: string[] = [];
      for (let index = 0; index < 4; index += 1) {
        const answer = await post(orders.url, { item: `attempt-${index}`, quantity: 1 });
        expect(answer.status).toBe(201);
        statuses.push(((await answer.json()) as Order).status);
      }
      expect(statuses).toEqual(['payment_pending', 'payment_pending', 'payment_pending', 'payment_pending']);
      expect(orders.app.get(ResilienceRegistry).get('payment', 'circuit-breaker')?.state).toBe('open');
    });

    it('reports the open payment breaker as degraded in GET /health and in its registry check, without leaving the pool', async () => {
      const health = await fetch(`${orders.url}/health`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { status: string; info?: Record<string, { status: string; open?: string[] }> };
      expect(body.info?.['payment-breaker']).toEqual(expect.objectContaining({ status: 'degraded', open: ['payment'] }));
      expect(body.info?.['orders-store']?.status).toBe('up');
      // Still discovered (a warning keeps its share of traffic): the orders are taken, payments caught up later.
      const discovery = orders.app.get(ServiceDiscovery);
      await waitFor(async () => (await discovery.getInstances('orders', { passingOnly: false }))[0]?.health === 'warning', { timeout: 20_000, description: 'the TTL check of orders says warning' });
    });
  });

  describe('with a payment provider slower than PAYMENT_TIMEOUT_MS', () => {
    let orders: Awaited<ReturnType<typeof boot>>;
    beforeAll(async () => {
      orders = await boot({ paymentFailureRate: 0, paymentLatencyMs: 20_000, paymentTimeoutMs: 50 });
    });
    afterAll(async () => {
      await orders?.tcp.close();
      await orders?.app.close();
    });

    it('times each attempt out and falls back to "payment_pending"', async () => {
      const answer = await post(orders.url, { item: 'slow', quantity: 1 });
      expect(answer.status).toBe(201);
      expect(((await answer.json()) as Order).status).toBe('payment_pending');
    });
  });
});
