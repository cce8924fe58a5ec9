import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitOpenError, ResilienceRegistry, Retry, Timeout, isTaskCancelledError, type ResilienceEvent } from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

@Injectable()
class RatesClient {
  attempts = 0;

  @Retry({ maxAttempts: 3, backoff: { initialDelay: 60_000, jitter: false } })
  @Timeout({ ms: 1_000, signalArg: 1 })
  async fetchRates(_currency: string, _signal?: AbortSignal): Promise<string> {
    this.attempts++;
    throw new Error('rates down');
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
