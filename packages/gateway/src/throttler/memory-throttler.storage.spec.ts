import { jest } from '@jest/globals';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';

describe('MemoryThrottlerStorage', () => {
  afterEach(() => jest.useRealTimers());

  it.each([
    ['with a block duration', 3, 1_000, 2_000],
    ['without a block duration', 3, 1_000, 0],
  ])('answers exactly like @nestjs/throttler’s in-memory storage over a long walk of hits (%s)', async (_, limit, ttl, block) => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const reference = new ThrottlerStorageService();
    const ours = new MemoryThrottlerStorage({ clock: () => Date.now() });
    const steps = [0, 100, 100, 100, 100, 300, 500, 900, 50, 50, 2_000, 10, 10, 10, 10, 1_500, 700, 2_600, 0, 0, 0, 0];
    for (const [index, step] of steps.entries()) {
      jest.advanceTimersByTime(step);
      const expected = await reference.increment('k', ttl, limit, block, 'default');
      const actual = await ours.increment('k', ttl, limit, block, 'default');
      expect([index, actual]).toEqual([index, expected]);
    }
    reference.onApplicationShutdown();
    ours.onApplicationShutdown();
  });

  it('keeps at most maxKeys keys, and sweeps idle ones', async () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const storage = new MemoryThrottlerStorage({ maxKeys: 3, sweepInterval: 1_000, clock: () => Date.now() });
    for (const key of ['a', 'b', 'c', 'd']) await storage.increment(key, 500, 10, 500, 'default');
    expect(storage.size).toBe(3);
    jest.advanceTimersByTime(1_000);
    expect(storage.size).toBe(0);
    storage.onApplicationShutdown();
  });

  it('tells how long a key stays blocked without counting a hit (blockedFor)', async () => {
    let now = 1_000_000;
    const storage = new MemoryThrottlerStorage({ clock: () => now });
    expect(storage.blockedFor('k', 'default')).toBe(0);
    for (let index = 0; index < 3; index += 1) await storage.increment('k', 1_000, 2, 5_000, 'default');
    expect(storage.blockedFor('k', 'default')).toBe(5);
    expect(storage.blockedFor('k', 'other')).toBe(0);
    now += 3_500;
    expect(storage.blockedFor('k', 'default')).toBe(2);
    expect(storage.blockedFor('k', 'default')).toBe(2); // reading counted nothing
    now += 1_500;
    expect(storage.blockedFor('k', 'default')).toBe(0);
    expect(await storage.increment('k', 1_000, 2, 5_000, 'default')).toMatchObject({ isBlocked: false, totalHits: 1 });
    storage.onApplicationShutdown();
  });
});
