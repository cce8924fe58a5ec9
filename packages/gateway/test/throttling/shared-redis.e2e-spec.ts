import { startHttpUpstream, startRedisServer, type BootedNestApp, type HttpUpstream, type RedisServer } from '@nestmesh/testing';
import { RedisThrottlerStorage, type GatewayModuleOptions, type ThrottlerFailureMode } from '../../src/index.js';
import { bootGatewayApp } from '../support/gateway-app.js';

describe('throttling shared in Redis by two gateway instances (Express and Fastify)', () => {
  let redis: RedisServer;
  let upstream: HttpUpstream;

  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = await startHttpUpstream();
  });
  afterAll(async () => {
    await upstream?.close();
    await redis?.stop();
  });

  const options = (limit: number, failureMode: ThrottlerFailureMode, keyPrefix: string, timeout: number): GatewayModuleOptions => ({
    routes: [{ id: 'api', prefix: '/api', url: upstream.url }],
    throttlers: [{ name: 'sustained', limit, ttl: 60_000 }],
    throttlerStorage: new RedisThrottlerStorage({ redis: redis.url, failureMode, timeout, keyPrefix }),
  });

  // `timeout` 200 ms where Redis goes down; 10 s where the test counts hits, so that a slow, loaded machine
  // cannot turn a late answer into a fail-open pass (the race test checks atomicity, not the failure mode).
  const boot = (limit: number, failureMode: ThrottlerFailureMode, keyPrefix: string, timeout = 200) =>
    Promise.all([
      bootGatewayApp({ platform: 'express', gateway: options(limit, failureMode, keyPrefix, timeout) }),
      bootGatewayApp({ platform: 'fastify', gateway: options(limit, failureMode, keyPrefix, timeout) }),
    ]);

  it('lets exactly the limit through when 10x the limit arrive at once, spread over both instances', async () => {
    const gateways = await boot(25, 'open', 'exact:', 10_000);
    try {
      const answers = await Promise.all(Array.from({ length: 250 }, (_, index) => fetch(`${gateways[index % 2].url}/api/x`)));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(25);
      expect(statuses.filter((status) => status === 429)).toHaveLength(225);
      const refused = answers.find((answer) => answer.status === 429)!;
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('ratelimit-limit')).toBe('25');
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      await Promise.all(answers.map((answer) => answer.body?.cancel()));
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.close()));
    }
  });

  it.each<[ThrottlerFailureMode, number]>([
    ['open', 200],
    ['closed', 429],
  ])('follows failureMode %p when Redis is killed mid-test, answering within bounded time, and counts again once it is back', async (mode, whileDown) => {
    const gateways: BootedNestApp[] = await boot(3, mode, `${mode}:`);
    try {
      const statuses = async (count: number) => {
        const out: number[] = [];
        for (let index = 0; index < count; index += 1) out.push((await fetch(`${gateways[index % 2].url}/api/x`)).status);
        return out;
      };
      expect(await statuses(4)).toEqual([200, 200, 200, 429]);
      await redis.stop();
      const started = performance.now();
      expect(await statuses(6)).toEqual(Array(6).fill(whileDown));
      expect(performance.now() - started).toBeLessThan(6 * 1_000); // each answer within the storage timeout, not a hang
      redis = await startRedisServer({ port: redis.port });
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // the clients reconnect
      expect(await statuses(4)).toEqual([200, 200, 200, 429]); // a fresh Redis: a fresh window
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.close()));
    }
  });
});
