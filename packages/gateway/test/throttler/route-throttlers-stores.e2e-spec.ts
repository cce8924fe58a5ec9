import { startRedisServer, type RedisServer } from '@nestmesh/testing';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MemoryThrottlerStorage, RedisThrottlerStorage } from '../../src/index.js';
import { throttleRequest } from '../../src/pipeline/route-throttle.js';
import type { CompiledRoute } from '../../src/routing/compiled-route.js';

/** A route with a short and a long throttler, as `throttlers: [burst, hourly]` compiles. */
const route = {
  id: 'orders',
  throttlers: [
    { name: 'burst', limit: 2, ttl: 1_000, blockDuration: 1_000 },
    { name: 'hourly', limit: 4, ttl: 3_600_000, blockDuration: 3_600_000 },
  ],
} as unknown as CompiledRoute;

describe("a route's throttlers, on the memory storage and on a real Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** What one client is answered at each time (ms): 200, or 429 with its Retry-After and detail. */
  async function answers(storage: ThrottlerStorage, setNow: (now: number) => void): Promise<string[]> {
    const seen: string[] = [];
    for (const now of [0, 0, 0, 1_100, 1_100, 1_200]) {
      setNow(now);
      const { refused } = await throttleRequest(storage, route, 'ip:127.0.0.1');
      seen.push(refused ? `429 retry-after=${String(refused.headers?.['retry-after'])} ${refused.detail}` : '200');
    }
    return seen;
  }

  it('keeps each throttler its own count, and a 429 names the throttler with the longest wait in Retry-After (both stores alike)', async () => {
    let now = 1_800_000_000_000;
    const clock = () => now;
    const memory = new MemoryThrottlerStorage({ clock });
    const shared = new RedisThrottlerStorage({ redis: redis.url, clock, keyPrefix: `two-${Math.random()}:` });
    await shared.onModuleInit();
    const start = now;
    try {
      const expected = [
        '200',
        '200',
        '429 retry-after=1 Too many requests: the limit is 2 per 1 s.',
        '200',
        '429 retry-after=3600 Too many requests: the limit is 4 per 3600 s.',
        // Both refuse now: the answer is the hourly block's, not the burst's 1 s (a retry then would be refused again).
        '429 retry-after=3600 Too many requests: the limit is 4 per 3600 s.',
      ];
      expect(await answers(memory, (offset) => (now = start + offset))).toEqual(expected);
      expect(await answers(shared, (offset) => (now = start + offset))).toEqual(expected);
    } finally {
      memory.onApplicationShutdown();
      await shared.onApplicationShutdown();
    }
  });
});
