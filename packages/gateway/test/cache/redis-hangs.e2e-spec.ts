import { startHttpUpstream, startRedisServer, waitFor, type HttpUpstream, type RedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

/** How long Redis hangs (CLIENT PAUSE): far past `cache.timeout`, so anything that waited for Redis shows. */
const PAUSE_MS = 8_000;
const CACHE_TIMEOUT = 1_000;

describe('the response cache when its Redis hangs (CLIENT PAUSE on a real Redis)', () => {
  let upstream: HttpUpstream;
  let calls = 0;
  beforeAll(async () => {
    upstream = await startHttpUpstream((_req, res) => {
      calls += 1;
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'public, max-age=60' }).end(`answer ${calls}`);
    });
  });
  afterAll(() => upstream?.close());

  it.each(PLATFORMS)('answers from the upstream within cache.timeout, and app.close() ends without waiting for Redis, on %s', async (platform) => {
    const redis: RedisServer = await startRedisServer();
    const probe = new Redis(redis.url);
    try {
      const gateway = await bootGatewayApp({
        platform,
        gateway: { routes: [{ id: 'cached', prefix: '/cached', url: upstream.url, cache: true }], cache: { redis: redis.url, timeout: CACHE_TIMEOUT } },
      });
      let closed = false;
      try {
        // Precondition: the cache really uses this Redis (an answer stored there is served without the upstream).
        const first = await fetch(`${gateway.url}/cached/a`);
        expect(first.status).toBe(200);
        await first.text();
        const before = calls;
        await waitFor(async () => (await (await fetch(`${gateway.url}/cached/a`)).text()) !== '' && calls === before, {
          timeout: 10_000,
          description: 'the answer served from Redis',
        });
        expect((await probe.keys('*')).length).toBeGreaterThan(0);

        await probe.call('CLIENT', 'PAUSE', String(PAUSE_MS), 'ALL');
        const pausedAt = performance.now();
        // A stored key and a new one: Redis does not answer, so both are misses answered by the upstream.
        const answers = await Promise.all(['/cached/a', '/cached/b'].map(async (path) => {
          const answer = await fetch(`${gateway.url}${path}`);
          return { status: answer.status, body: await answer.text(), ms: performance.now() - pausedAt };
        }));
        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
        // Two cache.timeouts at most (the lookups at once, then the store's commands at once), not one per command (4).
        for (const { ms } of answers) expect(ms).toBeLessThan(3 * CACHE_TIMEOUT);
        expect(answers.every((answer) => answer.body.startsWith('answer '))).toBe(true);
        await gateway.close();
        closed = true;
        // Both ended while Redis was still paused: neither the requests nor the shutdown waited for it.
        expect(performance.now() - pausedAt).toBeLessThan(PAUSE_MS - 1_000);
      } finally {
        if (!closed) await gateway.close();
      }
    } finally {
      probe.disconnect();
      await redis.stop();
    }
  }, 30_000);
});
