import { startRedisServer, waitFor, type RedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { RedisThrottlerStorage, type RedisThrottlerStorageOptions, type ThrottlerStorageAnswer } from '../../src/index.js';

/** One increment and how long it took: the failure mode must answer within the storage's timeout. */
async function timed(storage: RedisThrottlerStorage, key: string): Promise<ThrottlerStorageAnswer & { took: number }> {
  const started = performance.now();
  const answer = await storage.increment(key, 10_000, 3, 10_000, 'default');
  return { ...answer, took: performance.now() - started };
}

describe('RedisThrottlerStorage when Redis dies', () => {
  let redis: RedisServer;
  let storage: RedisThrottlerStorage | undefined;
  let client: Redis | undefined;
  const timeout = 200;
  // Generous on purpose: this checks that an answer is bounded (never a hang), not how fast it is.
  const bound = timeout + 1_000;

  beforeEach(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await storage?.onApplicationShutdown();
    client?.disconnect();
    storage = client = undefined;
    await redis.stop();
  });

  const start = async (options: RedisThrottlerStorageOptions) => {
    storage = new RedisThrottlerStorage({ redis: redis.url, timeout, ...options });
    await storage.onModuleInit();
    return storage;
  };

  /**
   * The precondition before Redis goes away: a hit is counted by Redis itself. Waited for rather than asked once,
   * since on a loaded machine the very first script load can take longer than the 200 ms timeout under test.
   */
  const countsWhileRedisIsUp = (counting: RedisThrottlerStorage) =>
    waitFor(async () => {
      const answer = await timed(counting, 'up');
      return answer.totalHits > 0 && !answer.isBlocked ? true : undefined;
    }, { timeout: 10_000, description: 'a hit counted while Redis is up' });

  it("fails open by default: requests pass, each answered within the timeout, and counting resumes when Redis is back", async () => {
    const open = await start({});
    expect(await countsWhileRedisIsUp(open)).toBe(true);
    await redis.process.stop('SIGKILL');

    const answers = [];
    for (let i = 0; i < 10; i += 1) answers.push(await timed(open, 'k'));
    expect(answers.every((answer) => !answer.isBlocked)).toBe(true);
    expect(Math.max(...answers.map((answer) => answer.took))).toBeLessThan(bound);

    redis = await startRedisServer({ port: redis.port });
    const counted = await waitFor(async () => ((await timed(open, 'k2')).totalHits > 0 ? true : undefined), { timeout: 10_000, description: 'counting again' });
    expect(counted).toBe(true);
  });

  it("fails closed when asked: requests are refused with a Retry-After, each within the timeout", async () => {
    const closed = await start({ failureMode: 'closed' });
    expect(await countsWhileRedisIsUp(closed)).toBe(true);
    await redis.process.stop('SIGKILL');

    const answers = [];
    for (let i = 0; i < 10; i += 1) answers.push(await timed(closed, 'k'));
    expect(answers.every((answer) => answer.isBlocked && answer.timeToBlockExpire >= 10)).toBe(true);
    expect(Math.max(...answers.map((answer) => answer.took))).toBeLessThan(bound);
  });

  it.each([
    ['open', 0],
    ['closed', 1],
  ] as const)('reads blocks (blockedFor) in failure mode %p while Redis is down: %p s, within the timeout', async (failureMode, seconds) => {
    const reader = await start({ failureMode });
    expect(await countsWhileRedisIsUp(reader)).toBe(true);
    for (let index = 0; index < 4; index += 1) await reader.increment('k', 10_000, 3, 10_000, 'default');
    expect(await reader.blockedFor('k', 'default')).toBe(10);
    expect(await reader.blockedFor('other', 'default')).toBe(0);
    await redis.process.stop('SIGKILL');
    for (let index = 0; index < 5; index += 1) {
      const started = performance.now();
      expect(await reader.blockedFor('other', 'default')).toBe(seconds);
      expect(performance.now() - started).toBeLessThan(bound);
    }
  });

  it('answers within the timeout when Redis hangs rather than dies (CLIENT PAUSE), then counts again', async () => {
    const closed = await start({ failureMode: 'closed' });
    expect(await countsWhileRedisIsUp(closed)).toBe(true);
    client = new Redis(redis.url);
    await client.call('CLIENT', 'PAUSE', '1500', 'ALL');

    const answers = await Promise.all(Array.from({ length: 10 }, () => timed(closed, 'k')));
    expect(answers.every((answer) => answer.isBlocked)).toBe(true);
    expect(Math.max(...answers.map((answer) => answer.took))).toBeLessThan(bound);
    // Hits sent during the pause still reach Redis when it wakes up: probe with fresh keys.
    let probe = 0;
    const counted = await waitFor(async () => ((await timed(closed, `after-${probe++}`)).totalHits === 1 ? true : undefined), {
      timeout: 10_000,
      description: 'counting after the pause',
    });
    expect(counted).toBe(true);
  });

  it('bounds the wait with a client passed in, even one that queues commands while disconnected', async () => {
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    storage = new RedisThrottlerStorage({ redis: client, timeout, failureMode: 'closed' });
    await storage.onModuleInit();
    expect(await countsWhileRedisIsUp(storage)).toBe(true);
    await redis.process.stop('SIGKILL');

    const answers = await Promise.all(Array.from({ length: 20 }, () => timed(storage!, 'k')));
    expect(answers.every((answer) => answer.isBlocked)).toBe(true);
    expect(Math.max(...answers.map((answer) => answer.took))).toBeLessThan(bound);
    await storage.onApplicationShutdown();
    expect(client.status).not.toBe('end'); // not ours to close
  });
});
