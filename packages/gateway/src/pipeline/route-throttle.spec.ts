import type { CompiledRoute } from '../routing/compiled-route.js';
import { MemoryThrottlerStorage } from '../throttler/memory-throttler.storage.js';
import type { ThrottlerStorageRecord } from '../throttler/throttler-storage-record.js';
import { throttleRequest, type ThrottleOutcome } from './route-throttle.js';

const route = {
  id: 'orders',
  throttlers: [
    { name: 'burst', limit: 2, ttl: 1_000, blockDuration: 1_000 },
    { name: 'sustained', limit: 10, ttl: 60_000, blockDuration: 60_000 },
  ],
} as unknown as CompiledRoute;

describe('throttleRequest', () => {
  let storages: MemoryThrottlerStorage[];
  const storage = <T extends MemoryThrottlerStorage>(made: T): T => (storages.push(made), made);

  beforeEach(() => (storages = []));
  afterEach(() => storages.forEach((made) => made.onApplicationShutdown()));

  it('answers at once through the gateway memory storage, counting every throttler, the tightest in the headers', () => {
    const memory = storage(new MemoryThrottlerStorage({ clock: () => 0 }));
    const first = throttleRequest(memory, route, 'ip:1') as ThrottleOutcome;
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toEqual({ headers: { 'ratelimit-limit': 2, 'ratelimit-remaining': 1, 'ratelimit-reset': 1 } });
    throttleRequest(memory, route, 'ip:1');
    const third = throttleRequest(memory, route, 'ip:1') as ThrottleOutcome;
    const rateHeaders = { 'ratelimit-limit': 2, 'ratelimit-remaining': 0, 'ratelimit-reset': 1 };
    expect(third.refused).toMatchObject({ status: 429, headers: { 'retry-after': 1, ...rateHeaders } });
    expect(memory.blockedFor('orders|burst|ip:1', 'burst')).toBe(1);
    expect(throttleRequest(memory, route, 'ip:2')).toEqual({ headers: { 'ratelimit-limit': 2, 'ratelimit-remaining': 1, 'ratelimit-reset': 1 } });
  });

  it('goes through increment() when a subclass overrides it', async () => {
    const seen: string[] = [];
    class CountingStorage extends MemoryThrottlerStorage {
      override increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
        seen.push(`${throttlerName} ${key}`);
        return super.increment(key, ttl, limit, blockDuration, throttlerName);
      }
    }
    const counting = storage(new CountingStorage({ clock: () => 0 }));
    const outcome = throttleRequest(counting, route, 'ip:1');
    expect(outcome).toBeInstanceOf(Promise);
    expect(await outcome).toEqual({ headers: { 'ratelimit-limit': 2, 'ratelimit-remaining': 1, 'ratelimit-reset': 1 } });
    expect(seen).toEqual(['burst orders|burst|ip:1', 'sustained orders|sustained|ip:1']);
  });
});
