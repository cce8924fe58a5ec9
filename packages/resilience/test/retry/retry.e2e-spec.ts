import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { CircuitBreaker, CircuitOpenError, ResilienceRegistry, Retry, type ResilienceEvent } from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

class Throttled extends Error {
  constructor(readonly retryAfter: number) {
    super('throttled');
  }
}

@Injectable()
class RatesClient {
  calls: number[] = [];
  failures = Infinity;
  error: () => unknown = () => new Error('flaky');

  private attempt(): string {
    this.calls.push(Date.now());
    if (this.calls.length <= this.failures) throw this.error();
    return 'rates';
  }

  @Retry({ maxAttempts: 3, backoff: { initialDelay: 100, maxDelay: 1_000, jitter: false } })
  async fetch(): Promise<string> {
    return this.attempt();
  }

  @Retry({ maxAttempts: 5, backoff: { initialDelay: 100, maxDelay: 250, jitter: false } })
  async capped(): Promise<string> {
    return this.attempt();
  }

  @Retry({ maxAttempts: 1 })
  async once(): Promise<string> {
    return this.attempt();
  }

  @Retry()
  async defaults(): Promise<string> {
    return this.attempt();
  }

  @Retry({ maxAttempts: 4, backoff: { initialDelay: 10, jitter: false }, retryOn: [Throttled] })
  async onlyThrottled(): Promise<string> {
    return this.attempt();
  }

  @Retry({ maxAttempts: 3, backoff: { initialDelay: 10, maxDelay: 60_000, jitter: false } })
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 10_000 })
  async guarded(): Promise<string> {
    return this.attempt();
  }

  @Retry('orders')
  async named(): Promise<string> {
    return this.attempt();
  }
}

describe('@Retry', () => {
  let client: RatesClient;
  let close: () => Promise<void>;
  let events: ResilienceEvent[];

  beforeEach(async () => {
    jest.useFakeTimers({ now: 0 });
    const moduleRef = await compile([RatesClient], {
      logEvents: false,
      policies: { orders: { retry: { maxAttempts: 2, backoff: { initialDelay: 5, jitter: false } } } },
    });
    client = moduleRef.get(RatesClient);
    events = [];
    moduleRef.get(ResilienceRegistry).events$.subscribe((event) => events.push(event));
    close = () => moduleRef.close();
  });
  afterEach(async () => {
    await close();
    jest.useRealTimers();
  });

  const run = async <T>(promise: Promise<T>) => {
    const outcome = settle(promise);
    await jest.advanceTimersByTimeAsync(120_000);
    return outcome;
  };

  it('makes at most maxAttempts calls, the first included, with exponential backoff', async () => {
    const outcome = await run(client.fetch());
    expect((outcome.error as Error).message).toBe('flaky');
    expect(client.calls).toEqual([0, 100, 300]);
    expect(events.map((e) => [e.type, e.attempt, e.delay])).toEqual([
      ['retry', 2, 100],
      ['retry', 3, 200],
    ]);
  });

  it('returns the first success', async () => {
    client.failures = 1;
    await expect(run(client.fetch())).resolves.toEqual({ value: 'rates' });
    expect(client.calls).toHaveLength(2);
  });

  it('caps delays at maxDelay', async () => {
    await run(client.capped());
    expect(client.calls).toEqual([0, 100, 300, 550, 800]);
  });

  it('maxAttempts: 1 never retries; the default is 3 attempts', async () => {
    await run(client.once());
    expect(client.calls).toHaveLength(1);
    client.calls = [];
    await run(client.defaults());
    expect(client.calls).toHaveLength(3);
  });

  it('honours a retryAfter hint (ms) carried by the error, within maxDelay', async () => {
    client.error = () => Object.assign(new Error('slow down'), { retryAfter: 700 });
    await run(client.fetch());
    expect(client.calls).toEqual([0, 700, 1_400]);
    client.calls = [];
    client.error = () => Object.assign(new HttpException('busy', 429), { retryAfter: 5_000 });
    const start = Date.now();
    await run(client.fetch());
    expect(client.calls.map((t) => t - start)).toEqual([0, 1_000, 2_000]);
  });

  it('does not retry caller errors (4xx) by default', async () => {
    client.error = () => new NotFoundException('no such currency');
    const outcome = await run(client.fetch());
    expect(outcome.error).toBeInstanceOf(NotFoundException);
    expect(client.calls).toHaveLength(1);
  });

  it('retries only the errors retryOn names', async () => {
    client.failures = 2;
    client.error = () => new Throttled(0);
    await expect(run(client.onlyThrottled())).resolves.toEqual({ value: 'rates' });
    client.calls = [];
    client.failures = Infinity;
    client.error = () => new Error('other');
    await run(client.onlyThrottled());
    expect(client.calls).toHaveLength(1);
  });

  it('passes every attempt through the breaker and stops retrying once it opens', async () => {
    const outcome = await run(client.guarded());
    expect(outcome.error).toBeInstanceOf(CircuitOpenError);
    expect(client.calls).toHaveLength(2);
  });

  it('uses a named policy retry section', async () => {
    await run(client.named());
    expect(client.calls).toEqual([0, 5]);
  });
});
