import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import {
  Bulkhead,
  CircuitBreaker,
  CircuitOpenError,
  Fallback,
  ResilienceTimeoutError,
  Retry,
  Timeout,
  isBulkheadFullError,
} from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

const seen: Array<{ error: unknown; args: unknown[]; self: unknown }> = [];

@Injectable()
class CatalogService {
  calls = 0;
  fail = true;
  hang = false;

  private async work(): Promise<string> {
    this.calls++;
    if (this.hang) await new Promise((resolve) => setTimeout(resolve, 10_000));
    if (this.fail) throw new Error('catalog down');
    return 'fresh';
  }

  @Fallback(function (this: CatalogService, error: unknown, ...args: unknown[]) {
    seen.push({ error, args, self: this });
    return `stale ${String(args[0])}`;
  })
  find(id: string): Promise<string> {
    void id;
    return this.work();
  }

  @Fallback('default')
  sync(): string {
    throw new Error('sync failure');
  }

  @Fallback((error: unknown) => (error instanceof CircuitOpenError ? 'open' : 'failed'))
  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: 60_000 })
  guarded(): Promise<string> {
    return this.work();
  }

  @Fallback((error: unknown) => (error instanceof ResilienceTimeoutError ? 'timed out' : 'other'))
  @Timeout(100)
  timed(): Promise<string> {
    return this.work();
  }

  @Fallback((error: unknown) => (isBulkheadFullError(error) ? 'busy' : 'other'))
  @Bulkhead({ limit: 1 })
  limited(): Promise<string> {
    return this.work();
  }

  // The same stack written in two orders.
  @Retry({ maxAttempts: 3, backoff: { initialDelay: 10, jitter: false } })
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 60_000 })
  @Timeout(100)
  @Bulkhead({ limit: 1, queue: 5 })
  @Fallback((error: unknown) => `fallback: ${(error as Error).name}`)
  ordered(): Promise<string> {
    return this.work();
  }

  @Fallback((error: unknown) => `fallback: ${(error as Error).name}`)
  @Bulkhead({ limit: 1, queue: 5 })
  @Timeout(100)
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 60_000 })
  @Retry({ maxAttempts: 3, backoff: { initialDelay: 10, jitter: false } })
  reversed(): Promise<string> {
    return this.work();
  }
}

describe('@Fallback and decorator order', () => {
  let service: CatalogService;
  let close: () => Promise<void>;

  beforeEach(async () => {
    jest.useFakeTimers({ now: 0 });
    seen.length = 0;
    const moduleRef = await compile([CatalogService]);
    service = moduleRef.get(CatalogService);
    close = () => moduleRef.close();
  });
  afterEach(async () => {
    await close();
    jest.useRealTimers();
  });

  it('calls the function with the error, the arguments and the instance', async () => {
    await expect(service.find('42')).resolves.toBe('stale 42');
    expect(seen).toHaveLength(1);
    expect((seen[0]!.error as Error).message).toBe('catalog down');
    expect(seen[0]!.args).toEqual(['42']);
    expect(seen[0]!.self).toBe(service);
  });

  it('falls back to a value, also for a method returning a plain value', async () => {
    await expect(service.sync()).resolves.toBe('default');
  });

  it('catches open-circuit, timeout and bulkhead errors', async () => {
    await expect(service.guarded()).resolves.toBe('failed');
    await expect(service.guarded()).resolves.toBe('open');

    service.hang = true;
    const timed = service.timed();
    await jest.advanceTimersByTimeAsync(100);
    await expect(timed).resolves.toBe('timed out');

    const first = service.limited();
    await expect(service.limited()).resolves.toBe('busy');
    await jest.advanceTimersByTimeAsync(10_000);
    await expect(first).resolves.toBe('other');
  });

  it.each(['ordered', 'reversed'] as const)('composes Fallback(Retry(CircuitBreaker(Timeout(Bulkhead)))) whatever the written order (%s)', async (method) => {
    // Attempts 1 and 2 time out (each with its own deadline) and open the breaker; attempt 3 is refused by it.
    // Attempt 1 still runs (it ignores its signal), so attempt 2 waits in the bulkhead queue, its deadline
    // passes there and it never starts: the method ran once.
    service.hang = true;
    const outcome = settle(service[method]());
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toEqual({ value: 'fallback: CircuitOpenError' });
    expect(service.calls).toBe(1);
  });
});
