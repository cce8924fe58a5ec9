import { jest } from '@jest/globals';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { startRedisServer, waitFor, type RedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { RedisThrottlerStorage, isGatewayConfigurationError, type RedisThrottlerStorageOptions } from '../../src/index.js';

describe('RedisThrottlerStorage against a real Redis', () => {
  let redis: RedisServer;
  const storages: RedisThrottlerStorage[] = [];
  const storage = (options: RedisThrottlerStorageOptions = {}) => {
    const created = new RedisThrottlerStorage({ redis: redis.url, ...options });
    storages.push(created);
    return created;
  };
  const ready = async (created: RedisThrottlerStorage) => {
    await created.onModuleInit();
    return created;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(storages.splice(0).map((s) => s.onApplicationShutdown()));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('answers exactly as throttler’s in-memory storage, step by step, with and without a block duration', async () => {
    let now = 1_800_000_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const memory = new ThrottlerStorageService();
    const shared = await ready(storage({ clock: () => Date.now(), keyPrefix: `diff-${Math.random()}:` }));
    // A fixed pseudo-random walk: hits on three keys and two throttlers, time moving by 0 to 0.7 s.
    let seed = 42;
    const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    const cases = [
      { key: 'a', ttl: 3_000, limit: 3, block: 0, name: 'burst' },
      { key: 'a', ttl: 10_000, limit: 5, block: 0, name: 'sustained' },
      { key: 'b', ttl: 2_000, limit: 2, block: 5_000, name: 'default' },
      { key: 'c', ttl: 4_000, limit: 4, block: 4_000, name: 'default' },
      { key: 'd', ttl: 5_000, limit: 3, block: 1_000, name: 'default' },
    ];
    const seen = new Set<string>();
    for (let step = 0; step < 400; step += 1) {
      const { key, ttl, limit, block, name } = cases[next(cases.length)];
      const expected = await memory.increment(key, ttl, limit, block, name);
      const actual = await shared.increment(key, ttl, limit, block, name);
      // Math.ceil() in memory can yield -0 where Redis integers say 0: the same number for every header.
      const zeroed = (record: typeof expected) => ({ ...record, timeToExpire: record.timeToExpire + 0, timeToBlockExpire: record.timeToBlockExpire + 0 });
      expect({ step, key, name, ...actual }).toEqual({ step, key, name, ...zeroed(expected) });
      seen.add(`${key}/${name}:${expected.isBlocked}`);
      now += next(3) === 0 ? 0 : next(700);
    }
    memory.onApplicationShutdown();
    // The walk really went through both states for every key and throttler.
    expect([...seen].sort()).toEqual(cases.flatMap(({ key, name }) => [`${key}/${name}:false`, `${key}/${name}:true`]).sort());
  });

  it('takes a ttl and a block duration in fractions of a millisecond (as a standalone ThrottlerModule may pass), rounded up, instead of failing every hit', async () => {
    const closed = await ready(storage({ failureMode: 'closed', keyPrefix: `fraction-${Math.random()}:` }));
    const answers = [];
    for (let hit = 0; hit < 3; hit += 1) answers.push(await closed.increment('a', 1_500.5, 2, 60_000 / 7, 'default'));
    expect(answers.map(({ totalHits, isBlocked }) => [totalHits, isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(answers[2].timeToBlockExpire).toBe(9); // 8571.43 ms, in whole seconds rounded up
  });

  it.each([
    ['without a block duration', 0],
    ['with a block duration', 60_000],
  ])('lets exactly the limit through when many hits race from two connections (%s)', async (_, blockDuration) => {
    // A generous timeout: on a loaded machine a late answer must not become a fail-open pass (this checks atomicity).
    const [first, second] = await Promise.all([ready(storage({ timeout: 10_000 })), ready(storage({ timeout: 10_000 }))]);
    const key = `race-${blockDuration}-${Math.random()}`;
    const limit = 50;
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, index) => (index % 2 ? first : second).increment(key, 60_000, limit, blockDuration, 'default')),
    );
    expect(answers.filter((answer) => !answer.isBlocked)).toHaveLength(limit);
    expect(answers.filter((answer) => answer.isBlocked).every((answer) => answer.timeToBlockExpire > 0)).toBe(true);
  });

  it('tells how long a key stays blocked without counting a hit or writing anything (blockedFor), like the in-memory storage', async () => {
    let now = 1_800_000_000_000;
    const shared = await ready(storage({ clock: () => now, keyPrefix: 'blocked:' }));
    expect(await shared.blockedFor('k', 'default')).toBe(0);
    const probe = new Redis(redis.url);
    try {
      expect(await probe.exists('blocked:{k}')).toBe(0); // reading wrote nothing
      for (let index = 0; index < 3; index += 1) await shared.increment('k', 1_000, 2, 5_000, 'default');
      expect(await shared.blockedFor('k', 'default')).toBe(5);
      now += 3_500;
      expect(await shared.blockedFor('k', 'default')).toBe(2);
      expect(await shared.blockedFor('k', 'default')).toBe(2);
      now += 1_500;
      expect(await shared.blockedFor('k', 'default')).toBe(0);
      expect(await shared.increment('k', 1_000, 2, 5_000, 'default')).toMatchObject({ isBlocked: false, totalHits: 1 }); // reads counted nothing
    } finally {
      probe.disconnect();
    }
    const serverClock = await ready(storage({ keyPrefix: 'blocked-server-clock:' }));
    for (let index = 0; index < 2; index += 1) await serverClock.increment('k', 1_000, 1, 30_000, 'default');
    expect(await serverClock.blockedFor('k', 'default')).toBe(30);
  });

  it('leaves no key behind once every window is over', async () => {
    const shared = await ready(storage({ keyPrefix: 'expiry:' }));
    // A window long enough for the first check to see both keys on a loaded machine (300 ms was not).
    await shared.increment('short', 3_000, 5, 0, 'default');
    const probe = new Redis(redis.url);
    try {
      expect(await probe.exists('expiry:{short}', 'expiry:{short}:default')).toBe(2);
      await waitFor(async () => (await probe.exists('expiry:{short}', 'expiry:{short}:default')) === 0, { timeout: 20_000, description: 'keys expired' });
    } finally {
      probe.disconnect();
    }
  });

  it.each([
    [{ failureMode: 'sideways' }, /invalid "failureMode" "sideways".*'open'.*'closed'/],
    [{ timeout: 0 }, /invalid RedisThrottlerStorage timeout 0/i],
    [{ timeout: 2 ** 31 }, /invalid RedisThrottlerStorage timeout 2147483648\. Use a number of milliseconds greater than 0 and at most 2147483647/i],
    [{ redis: 42 }, /invalid "redis" option 42/],
    [{ failMode: 'closed' }, /^RedisThrottlerStorage: unknown option "failMode"\. Did you mean "failureMode"\? Valid options: redis, keyPrefix, failureMode, timeout, clock\./],
  ])('refuses bad options %p with a clear error', (options, message) => {
    let error: unknown;
    try {
      storage(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(isGatewayConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
