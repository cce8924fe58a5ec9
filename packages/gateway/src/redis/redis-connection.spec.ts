import { getFreePort, startRedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { RedisCacheStore } from '../cache/redis-cache.store.js';
import { RedisThrottlerStorage } from '../throttler/redis-throttler.storage.js';
import { openRedis, redisReady } from './redis-connection.js';

/** The connection a store opened (a private field: the bounds it was opened with are what this suite checks). */
const clientOf = (store: object): Redis => (store as { client: Redis }).client;

describe('openRedis: the one place Redis clients are opened', () => {
  const opened: Redis[] = [];
  let closedPort: number;
  beforeAll(async () => {
    closedPort = await getFreePort(); // unreachable on purpose: these tests look at how clients are opened, not at Redis
  });
  afterEach(() => {
    for (const client of opened.splice(0)) client.disconnect();
  });

  it('opens a URL or ioredis options with one set of bounds, derived from the timeout', () => {
    const fromUrl = openRedis(`redis://127.0.0.1:${closedPort}/0`, 300, 'test', () => undefined);
    const fromOptions = openRedis({ host: '127.0.0.1', port: closedPort, lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: 5 }, 2_000, 'test', () => undefined);
    opened.push(fromUrl.client, fromOptions.client);
    expect(fromUrl.owned).toBe(true);
    expect(fromUrl.client.options).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 300, connectTimeout: 1_000 });
    expect(fromOptions.owned).toBe(true);
    expect(fromOptions.client.options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 2_000, connectTimeout: 2_000 });
  });

  it('uses a client passed in as it is, and does not own it', () => {
    const mine = new Redis({ host: '127.0.0.1', port: closedPort, lazyConnect: true });
    opened.push(mine);
    const connection = openRedis(mine, 250, 'test', () => undefined);
    expect(connection).toEqual({ client: mine, owned: false });
    expect(mine.listenerCount('error')).toBe(0);
  });

  it('refuses anything else, naming the owner, the value and what to pass', () => {
    let thrown: unknown;
    try {
      openRedis(6379 as unknown as string, 250, 'GatewayModule cache', () => undefined);
    } catch (error) {
      thrown = error;
    }
    expect(isGatewayConfigurationError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/^GatewayModule cache: invalid "redis" option 6379\. Use a URL/);
  });

  it('gives the throttler storage and the response cache the same bounds', async () => {
    const storage = new RedisThrottlerStorage({ redis: `redis://127.0.0.1:${closedPort}/0`, timeout: 400 });
    const cache = new RedisCacheStore(`redis://127.0.0.1:${closedPort}/0`, 'p:', 400);
    opened.push(clientOf(storage), clientOf(cache));
    const bounds = { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 400, connectTimeout: 1_000 };
    expect(clientOf(storage).options).toMatchObject(bounds);
    expect(clientOf(cache).options).toMatchObject(bounds);
    // An opened client always has an error listener: a Redis that is down never becomes an unhandled 'error'.
    expect(clientOf(storage).listenerCount('error')).toBeGreaterThan(0);
    expect(clientOf(cache).listenerCount('error')).toBeGreaterThan(0);
  });

  it('waits for a real Redis to be ready (a lazy client connected), and answers false for one that is not there', async () => {
    const redis = await startRedisServer();
    try {
      const lazy = openRedis({ host: '127.0.0.1', port: Number(new URL(redis.url).port), lazyConnect: true }, 250, 'test', () => undefined);
      const absent = openRedis(`redis://127.0.0.1:${closedPort}/0`, 250, 'test', () => undefined);
      opened.push(lazy.client, absent.client);
      expect(lazy.client.status).toBe('wait');
      await expect(redisReady(lazy.client, 250)).resolves.toBe(true);
      await expect(redisReady(absent.client, 250)).resolves.toBe(false);
    } finally {
      for (const client of opened.splice(0)) client.disconnect();
      await redis.stop();
    }
  });
});
