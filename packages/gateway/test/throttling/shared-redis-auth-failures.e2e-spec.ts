import { jest } from '@jest/globals';
import { startHttpUpstream, startRedisServer, type BootedNestApp, type HttpUpstream, type RedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { RedisThrottlerStorage, hashApiKey, type GatewayModuleOptions } from '../../src/index.js';
import { bootGatewayApp } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

const KEY = 'sk_test_0123456789abcdef0123456789abcdef';

describe('failed authentication limited by two gateway instances sharing one Redis (Express and Fastify)', () => {
  let redis: RedisServer;
  let upstream: HttpUpstream;
  let gateways: BootedNestApp[];
  let storages: RedisThrottlerStorage[];

  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = await startHttpUpstream();
    storages = [0, 1].map(() => new RedisThrottlerStorage({ redis: redis.url, timeout: 1_000 }));
    const options = (storage: RedisThrottlerStorage): GatewayModuleOptions => ({
      routes: [
        { id: 'keys', prefix: '/keys', url: upstream.url, auth: 'api-key' },
        { id: 'throttled', prefix: '/throttled', url: upstream.url, auth: 'api-key', throttle: { default: { limit: 3 } } },
      ],
      auth: { apiKeys: [{ id: 'partner', hash: hashApiKey(KEY) }] },
      throttlers: [{ limit: 1_000, ttl: 60_000 }],
      throttlerStorage: storage,
    });
    gateways = await Promise.all([bootGatewayApp({ platform: 'express', gateway: options(storages[0]) }), bootGatewayApp({ platform: 'fastify', gateway: options(storages[1]) })]);
  });
  afterAll(async () => {
    await Promise.all((gateways ?? []).map((gateway) => gateway.close()));
    await upstream?.close();
    await redis?.stop();
  });

  const call = (gateway: number, path: string, key: string, localAddress: string) => rawRequest(`${gateways[gateway].url}${path}`, { headers: { 'x-api-key': key }, localAddress });

  it('enforces one limit: wrong keys spread over both instances get 20 x 401 in all, then 429 from both, a correct key included', async () => {
    const out: number[] = [];
    for (let index = 0; index < 60; index += 1) out.push((await call(index % 2, '/keys/x', `wrong-${index}`, '127.0.0.1')).status);
    expect(out).toEqual([...Array(20).fill(401), ...Array(40).fill(429)]);
    for (const gateway of [0, 1]) {
      const refused = await call(gateway, '/keys/x', KEY, '127.0.0.1');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await call(gateway, '/keys/x', KEY, '127.0.0.2')).status).toBe(200);
    }
  });

  it('blocks on the other instance too, before it saw a single failure of that address', async () => {
    for (let index = 0; index < 21; index += 1) await call(0, '/keys/x', `wrong-${index}`, '127.0.0.3');
    expect((await call(1, '/keys/x', KEY, '127.0.0.3')).status).toBe(429);
  });

  it('costs a request with a credential one read of Redis (no hit counted) while its address is not blocked', async () => {
    const increment = jest.spyOn(storages[0], 'increment');
    const read = jest.spyOn(storages[0], 'blockedFor');
    try {
      expect((await call(0, '/keys/x', KEY, '127.0.0.6')).status).toBe(200);
      expect(read).toHaveBeenCalledTimes(1);
      expect(increment.mock.calls.map(([key]) => key)).toEqual(['keys|default|user:apikey:partner']); // the route's own throttler only
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('counts exactly under a burst: 100 wrong keys at once over both instances get exactly 20 x 401', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, (_, index) => call(index % 2, '/keys/x', `wrong-${index}`, '127.0.0.4')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(80);
  });

  it('keeps its counters apart from the route throttlers in the same Redis, under the documented keys', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await call(index % 2, '/throttled/x', KEY, '127.0.0.5')).status);
    expect(statuses).toEqual([200, 200, 200, 429]); // the route's own throttler (3 per minute per caller)
    expect((await call(0, '/throttled/x', 'wrong', '127.0.0.5')).status).toBe(401); // refused as a credential, not as a blocked address
    expect((await call(1, '/keys/x', KEY, '127.0.0.5')).status).toBe(200);
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('nestmesh:throttler:{auth-*');
      expect(keys).toEqual(expect.arrayContaining(['nestmesh:throttler:{auth-failure:ip:127.0.0.1}', 'nestmesh:throttler:{auth-blocked:ip:127.0.0.1}']));
    } finally {
      client.disconnect();
    }
  });
});
