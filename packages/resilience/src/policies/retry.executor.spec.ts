import { describe, expect, it } from '@jest/globals';
import type { IRetryBackoffContext } from 'cockatiel';
import { RetryBackoff } from './retry.executor.js';

const context = (error: unknown = new Error('x')): IRetryBackoffContext<unknown> => ({
  attempt: 1,
  signal: new AbortController().signal,
  result: { error },
});

const delays = (backoff: RetryBackoff, count: number, error?: unknown): number[] => {
  const out: number[] = [];
  let current = backoff.next(context(error));
  for (let i = 0; i < count; i++) {
    out.push(current.duration);
    current = current.next(context(error));
  }
  return out;
};

describe('RetryBackoff', () => {
  const options = { maxAttempts: 5, initialDelay: 100, maxDelay: 1_000, exponent: 2, jitter: 0 };

  it('grows exponentially up to maxDelay', () => {
    expect(delays(new RetryBackoff(options), 5)).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('randomises a jitter fraction of each delay, never above it', () => {
    for (const delay of delays(new RetryBackoff({ ...options, jitter: 0.5 }), 4)) expect(delay).toBeLessThanOrEqual(800);
    const [first] = delays(new RetryBackoff({ ...options, jitter: 0.5 }), 1);
    expect(first).toBeGreaterThanOrEqual(50);
  });

  it('waits at least the retryAfter hint, capped at maxDelay', () => {
    expect(delays(new RetryBackoff(options), 2, { retryAfter: 300 })).toEqual([300, 300]);
    expect(delays(new RetryBackoff(options), 1, { retryAfter: 60_000 })).toEqual([1_000]);
  });
});
