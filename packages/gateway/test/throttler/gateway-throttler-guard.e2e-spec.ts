import { bootNestApp, startRedisServer, type BootedNestApp, type RedisServer } from '@nestmesh/testing';
import { GatewayThrottlerGuard, RedisThrottlerStorage } from '../../src/index.js';
import { throttledAppModule } from '../support/throttled-app.js';

describe.each(['express', 'fastify'] as const)('GatewayThrottlerGuard on %s', (platform) => {
  let redis: RedisServer;
  let app: BootedNestApp;

  beforeAll(async () => {
    redis = await startRedisServer();
    app = await bootNestApp(throttledAppModule(new RedisThrottlerStorage({ redis: redis.url }), [{ ttl: 60_000, limit: 2, blockDuration: 30_000 }], GatewayThrottlerGuard), { platform });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('sends RateLimit headers on every answer, and Retry-After with them on the 429', async () => {
    const answers = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${app.url}/ping`);
      await response.arrayBuffer();
      const header = (name: string) => response.headers.get(name);
      answers.push([response.status, header('ratelimit-limit'), header('ratelimit-remaining'), header('ratelimit-reset'), header('retry-after'), header('x-ratelimit-limit')]);
    }
    // Resets count down in whole seconds from the window (60 s) and the block (30 s).
    const seconds = (value: unknown, max: number) => Number(value) >= max - 5 && Number(value) <= max;
    expect(answers.map(([status, limit, remaining, , retry, legacy]) => [status, limit, remaining, retry === null ? null : 'set', legacy])).toEqual([
      [200, '2', '1', null, null],
      [200, '2', '0', null, null],
      [429, '2', '0', 'set', null],
    ]);
    expect([seconds(answers[0][3], 60), seconds(answers[1][3], 60), seconds(answers[2][3], 30), answers[2][4] === answers[2][3]]).toEqual([true, true, true, true]);
  });
});
