import { bootNestApp, startRedisServer, waitFor, type BootedNestApp, type RedisServer } from '@nestmesh/testing';
import { RedisThrottlerStorage } from '../../src/index.js';
import { throttledAppModule } from '../support/throttled-app.js';

describe.each(['express', 'fastify'] as const)('ThrottlerGuard with RedisThrottlerStorage on %s', (platform) => {
  let redis: RedisServer;
  const apps: BootedNestApp[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await redis?.stop();
  });

  it('two gateway instances sharing Redis let exactly the limit through when 10x the limit arrives at once', async () => {
    const limit = 20;
    // A generous timeout: on a loaded machine a late Redis answer must not become a fail-open pass.
    const storages = [0, 1].map(() => new RedisThrottlerStorage({ redis: redis.url, keyPrefix: `guard-${platform}:`, timeout: 10_000 }));
    for (const storage of storages) apps.push(await bootNestApp(throttledAppModule(storage, [{ ttl: 60_000, limit }]), { platform }));

    const responses = await Promise.all(Array.from({ length: limit * 10 }, (_, index) => fetch(`${apps[index % 2].url}/ping`)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(limit * 9);
    const refused = responses.find((response) => response.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await Promise.all(responses.map((response) => response.arrayBuffer()));

    await Promise.all(apps.splice(0).map((app) => app.close()));
    // Closing the app closed the connections each storage opened (ioredis reports 'end' once the socket is gone).
    const connectionStatuses = () => storages.map((storage) => (storage as unknown as { redis: { client: { status: string } } }).redis.client.status);
    await waitFor(() => connectionStatuses().every((status) => status === 'end'), { timeout: 10_000, description: `both storages' connections ended (${connectionStatuses().join(', ')})` }).catch(() => undefined);
    expect(connectionStatuses()).toEqual(['end', 'end']);
  });
});
