import { getFreePort, startRedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { RedisCacheStore } from '../cache/redis-cache.store.js';
import { RedisThrottlerStorage } from '../throttler/redis-throttler.storage.js';
import { RedisConnection, redisScript } from './redis-connection.js';

/** The client a store opened (a private field: the bounds it was opened with are what this suite checks). */
const clientOf = (store: object): Redis => (store as { redis: RedisConnection }).redis.client;

describe('RedisConnection: the one place Redis clients are opened', () => {
  const opened: Redis[] = [];
  let closedPort: number;
  beforeAll(async () => {
    closedPort = await getFreePort(); // unreachable on purpose: these tests look at how clients are opened, not at Redis
  });
  afterEach(() => {
    for (const client of opened.splice(0)) client.disconnect();
  });

  it('opens a URL or ioredis options with one set of bounds, derived from the timeout', () => {
    const fromUrl = new RedisConnection(`redis://127.0.0.1:${closedPort}/0`, 300, 'test', () => undefined);
    const fromOptions = new RedisConnection({ host: '127.0.0.1', port: closedPort, lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: 5 }, 2_000, 'test', () => undefined);
    opened.push(fromUrl.client, fromOptions.client);
    expect(fromUrl.owned).toBe(true);
    expect(fromUrl.client.options).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 300, connectTimeout: 1_000 });
    expect(fromOptions.owned).toBe(true);
    expect(fromOptions.client.options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 2_000, connectTimeout: 2_000 });
  });

  it('uses a client passed in as it is, and does not own it', () => {
    const mine = new Redis({ host: '127.0.0.1', port: closedPort, lazyConnect: true });
    opened.push(mine);
    const connection = new RedisConnection(mine, 250, 'test', () => undefined);
    expect(connection.client).toBe(mine);
    expect(connection.owned).toBe(false);
    expect(mine.listenerCount('error')).toBe(0);
  });

  it('refuses anything else, naming the owner, the value and what to pass', () => {
    let thrown: unknown;
    try {
      new RedisConnection(6379 as unknown as string, 250, 'GatewayModule cache', () => undefined);
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
      const lazy = new RedisConnection({ host: '127.0.0.1', port: Number(new URL(redis.url).port), lazyConnect: true }, 250, 'test', () => undefined);
      const absent = new RedisConnection(`redis://127.0.0.1:${closedPort}/0`, 250, 'test', () => undefined);
      opened.push(lazy.client, absent.client);
      expect(lazy.client.status).toBe('wait');
      await expect(lazy.ready()).resolves.toBe(true);
      await expect(absent.ready()).resolves.toBe(false);
    } finally {
      for (const client of opened.splice(0)) client.disconnect();
      await redis.stop();
    }
  });

  it('runs a script by its SHA, sends its source to a Redis that does not know it, and closes only a client it opened', async () => {
    const redis = await startRedisServer();
    const mine = new Redis(redis.url);
    const connection = new RedisConnection(redis.url, 500, 'test', () => undefined);
    try {
      const borrowed = new RedisConnection(mine, 500, 'test', () => undefined);
      expect(await connection.ready()).toBe(true);
      expect(await borrowed.ready()).toBe(true);
      const echo = redisScript(`return { KEYS[1], ARGV[1], '${Date.now()}' }`);
      expect(await connection.run(echo, ['k'], ['a'])).toEqual(['k', 'a', expect.any(String)]); // not known yet: EVAL
      expect(await connection.client.script('EXISTS', echo.sha)).toEqual([1]);
      await mine.script('FLUSH');
      expect(await borrowed.run(echo, ['k2'], ['b'])).toEqual(['k2', 'b', expect.any(String)]);
      await Promise.all([connection.close(), borrowed.close()]);
      expect(connection.client.status).toBe('end');
      expect(mine.status).toBe('ready');
    } finally {
      if (connection.client.status !== 'end') connection.client.disconnect(); // the test failed before close()
      mine.disconnect();
      await redis.stop();
    }
  });
});
