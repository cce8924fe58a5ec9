import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitOpenError, ResilienceRegistry, Retry, Timeout, isTaskCancelledError, type ResilienceEvent } from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Watches the timers created from now on (cockatiel's and ours): `referenced()` counts those still pending and
 * referenced, i.e. holding the process open. Process-wide counts are not used: Jest's own timers come and go.
 */
function watchTimers(): { referenced: () => number; stop: () => void } {
  const { setTimeout: originalSet, clearTimeout: originalClear } = globalThis;
  const pending = new Set<NodeJS.Timeout>();
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = originalSet(
      (...callArgs: unknown[]) => {
        pending.delete(timer);
        callback(...callArgs);
      },
      ms,
      ...args,
    );
    pending.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: NodeJS.Timeout | undefined) => {
    if (timer !== undefined) pending.delete(timer);
    originalClear(timer);
  }) as typeof clearTimeout;
  return {
    referenced: () => [...pending].filter((timer) => timer.hasRef()).length,
    stop: () => {
      globalThis.setTimeout = originalSet;
      globalThis.clearTimeout = originalClear;
    },
  };
}

@Injectable()
class RatesClient {
  attempts = 0;

  @Retry({ maxAttempts: 3, backoff: { initialDelay: 60_000, jitter: false } })
  @Timeout({ ms: 1_000, signalArg: 1 })
  async fetchRates(_currency: string, _signal?: AbortSignal): Promise<string> {
    this.attempts++;
    throw new Error('rates down');
  }

  @Retry({ maxAttempts: 2, backoff: { initialDelay: 1_000, jitter: false } })
  async flakyOnce(): Promise<string> {
    this.attempts++;
    if (this.attempts === 1) throw new Error('flaky');
    return 'rates';
  }

  @Retry({ maxAttempts: 50, retryOn: [Error], backoff: { initialDelay: 1, jitter: false } })
  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 60_000 })
  async quote(): Promise<string> {
    this.attempts++;
    throw new Error('quotes down');
  }
}

describe('@Retry and cancellation', () => {
  it('settles at once, with no further attempt, when the caller aborts during a backoff', async () => {
    const moduleRef = await compile([RatesClient]);
    const client = moduleRef.get(RatesClient);
    const controller = new AbortController();
    let settled = false;
    const outcome = settle(client.fetchRates('EUR', controller.signal)).finally(() => (settled = true));
    await tick();
    expect(client.attempts).toBe(1); // now waiting 60 s before attempt 2
    controller.abort();
    await tick();
    expect(settled).toBe(true);
    expect(isTaskCancelledError((await outcome).error)).toBe(true);
    expect(client.attempts).toBe(1);
    await moduleRef.close();
  });

  it('leaves no timer holding the process after a call cancelled during its backoff', async () => {
    const moduleRef = await compile([RatesClient]);
    const client = moduleRef.get(RatesClient);
    const timers = watchTimers();
    try {
      const controller = new AbortController();
      const outcome = settle(client.fetchRates('EUR', controller.signal));
      await tick();
      expect(client.attempts).toBe(1); // waiting out a 60 s backoff
      controller.abort();
      expect(isTaskCancelledError((await outcome).error)).toBe(true);
      expect(timers.referenced()).toBe(0);
    } finally {
      timers.stop();
    }
    await moduleRef.close();
  });

  it('keeps the process alive during the backoff of a call that nothing can cancel', async () => {
    const moduleRef = await compile([RatesClient]);
    const client = moduleRef.get(RatesClient);
    const timers = watchTimers();
    try {
      const outcome = client.flakyOnce();
      await tick();
      expect(client.attempts).toBe(1);
      // A script awaiting this call must not exit during the 1 s backoff: its timer is referenced.
      expect(timers.referenced()).toBe(1);
      await expect(outcome).resolves.toBe('rates');
      expect(client.attempts).toBe(2);
      expect(timers.referenced()).toBe(0);
    } finally {
      timers.stop();
    }
    await moduleRef.close();
  });

  it('never retries an open circuit, even when retryOn names every Error', async () => {
    const moduleRef = await compile([RatesClient]);
    const client = moduleRef.get(RatesClient);
    const events: ResilienceEvent[] = [];
    moduleRef.get(ResilienceRegistry).events$.subscribe((event) => events.push(event));
    const outcome = await settle(client.quote());
    // Attempt 1 fails, attempt 2 fails and opens the breaker, attempt 3 is refused: not retried again.
    expect(outcome.error).toBeInstanceOf(CircuitOpenError);
    expect(client.attempts).toBe(2);
    expect(events.filter((event) => event.type === 'retry')).toHaveLength(2);
    await moduleRef.close();
  });
});
