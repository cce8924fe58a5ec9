import type { HttpException, INestApplication } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { getFreePort, startRedisServer, waitFor, type RedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';
import { ordersTcpPort, startOrders } from '../../src/bootstrap.js';
import type { Order } from '../../src/orders/order.interface.js';
import { REDIS_KEYS, RedisOrdersRepository } from '../../src/storage/redis-orders.repository.js';

const boot = (redisUrl: string) =>
  startOrders({ port: 0, tcpPort: 0, host: '127.0.0.1', shutdownHooks: false, registry: 'in-memory', logger: false, drainDelayMs: 0, redisUrl, paymentFailureRate: 0, paymentLatencyMs: 0 });

const post = (url: string, body: unknown) => fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('demo-orders with REDIS_URL: two instances share one real Redis', () => {
  let redis: RedisServer;
  let first: INestApplication;
  let second: INestApplication;
  let firstUrl: string;
  let secondUrl: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    [first, second] = await Promise.all([boot(redis.url), boot(redis.url)]);
    [firstUrl, secondUrl] = await Promise.all([first.getUrl(), second.getUrl()]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await redis?.stop();
  });

  it('an order taken by one instance is read by the other, over REST and over TCP', async () => {
    const created = await post(firstUrl, { item: 'book', quantity: 2 });
    expect(created.status).toBe(201);
    const order = (await created.json()) as Order;
    expect(order.status).toBe('paid');
    expect(await (await fetch(`${secondUrl}/orders/${order.id}`)).json()).toEqual(order);
    expect(await (await fetch(`${secondUrl}/orders`)).json()).toEqual(expect.arrayContaining([order]));
    const tcp = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: ordersTcpPort(second) } });
    try {
      expect(await firstValueFrom(tcp.send('orders.get', { id: order.id }))).toEqual(order);
    } finally {
      await tcp.close();
    }
  });

  it('gives ids unique across instances (one Redis INCR), and orders.stats counts every instance\'s orders', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => post(index % 2 ? firstUrl : secondUrl, { item: `item-${index}`, quantity: index + 1 })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const created = (await Promise.all(answers.map((answer) => answer.json()))) as Order[];
    expect(new Set(created.map((order) => order.id)).size).toBe(20);
    const listed = (await (await fetch(`${firstUrl}/orders`)).json()) as Order[];
    expect(listed.map((order) => Number(order.id))).toEqual([...listed.map((order) => Number(order.id))].sort((a, b) => a - b));
    const tcp = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: ordersTcpPort(first) } });
    try {
      expect(await firstValueFrom(tcp.send('orders.stats', {}))).toEqual({ count: listed.length, totalQuantity: listed.reduce((sum, order) => sum + order.quantity, 0) });
    } finally {
      await tcp.close();
    }
  });

  it('skips an entry of the hash that is not an order instead of failing the list', async () => {
    const raw = new Redis(redis.url);
    try {
      await raw.hset(REDIS_KEYS.orders, '999999', '{"not":"an order"}');
      const listed = await fetch(`${secondUrl}/orders`);
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as Order[]).some((order) => order.id === '999999')).toBe(false);
      expect((await fetch(`${secondUrl}/orders/999999`)).status).toBe(404);
    } finally {
      await raw.hdel(REDIS_KEYS.orders, '999999');
      raw.disconnect();
    }
  });

  it('answers 503 naming Redis (never hangs) while Redis is down, and recovers once it is back', async () => {
    await redis.stop();
    const down = await waitFor(async () => {
      const answer = await fetch(`${firstUrl}/orders`);
      return answer.status === 503 ? answer : undefined;
    }, { timeout: 15_000, description: 'GET /orders answers 503 once Redis is stopped' });
    expect(((await down.json()) as { message: string }).message).toMatch(new RegExp(`^The orders storage \\(Redis at 127\\.0\\.0\\.1:${redis.port}\\) did not answer: .+\\. Retry later\\.$`));
    expect((await post(firstUrl, { item: 'lost', quantity: 1 })).status).toBe(503);
    redis = await startRedisServer({ port: redis.port });
    // Each instance reconnects on its own backoff: wait for both.
    for (const url of [firstUrl, secondUrl]) {
      await waitFor(async () => (await fetch(`${url}/orders`)).status === 200, { timeout: 20_000, description: `GET ${url}/orders answers 200 once Redis is back` });
    }
    expect((await post(secondUrl, { item: 'back', quantity: 1 })).status).toBe(201);
  });

  it('fails to start, naming REDIS_URL and the fix, when nothing answers there', async () => {
    const closed = await getFreePort();
    await expect(boot(`redis://127.0.0.1:${closed}`)).rejects.toThrow(
      new RegExp(`^Could not reach Redis at 127\\.0\\.0\\.1:${closed} \\(REDIS_URL\\): .*ECONNREFUSED.*\\. Fix: start Redis there, correct REDIS_URL, or unset it to keep orders in memory\\.$`),
    );
  });
});

describe('demo-orders with REDIS_URL: the store is bounded like the in-memory one (a real Redis)', () => {
  let redis: RedisServer;
  let repository: RedisOrdersRepository;

  beforeAll(async () => {
    redis = await startRedisServer();
    repository = new RedisOrdersRepository(redis.url, 3);
    await repository.onModuleInit();
  });
  afterAll(async () => {
    await repository?.onApplicationShutdown();
    await redis?.stop();
  });

  it('refuses an order past its capacity with 507, naming the limit and the fix, and stores nothing of it, even with creates racing', async () => {
    const order = (index: number) => ({ item: `item-${index}`, quantity: 1, status: 'paid' as const, createdAt: new Date().toISOString() });
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => repository.create(order(index))));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    const refusals = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as HttpException);
    expect(refusals).toHaveLength(5);
    for (const refusal of refusals) {
      expect(refusal.getStatus()).toBe(507);
      expect(refusal.message).toBe(`The Redis orders store is full (3 orders). Delete the hash ${REDIS_KEYS.orders} in that Redis to empty it.`);
    }
    expect(await repository.stats()).toEqual({ count: 3, totalQuantity: 3 });
    expect(await repository.list()).toHaveLength(3);
  });
});
