import { describe, expect, it } from '@jest/globals';
import {
  CircuitOpenError,
  ResilienceConfigurationError,
  ResiliencePolicyFactory,
  ResilienceRegistry,
  isResilienceTimeoutError,
  isTaskCancelledError,
} from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

const fail = (message: string) => () => Promise.reject(new Error(message));

describe('ResiliencePolicyFactory', () => {
  it('is provided by ResilienceModule: named policies, defaults underneath, breakers in the app registry', async () => {
    const moduleRef = await compile([], {
      logEvents: false,
      defaults: { retry: { backoff: { initialDelay: 1, jitter: false } } },
      policies: { orders: { circuitBreaker: { consecutiveFailures: 2, halfOpenAfter: 60_000 }, retry: { maxAttempts: 1 } } },
    });
    const factory = moduleRef.get(ResiliencePolicyFactory);
    const registry = moduleRef.get(ResilienceRegistry);
    const orders = factory.create('orders-service', 'orders');
    expect(orders.name).toBe('orders-service');
    await settle(orders.execute(fail('down')));
    await settle(orders.execute(fail('down')));
    expect(registry.get('orders-service', 'circuit-breaker')?.state).toBe('open');
    // Shared per name: a second policy object for the same target sees the open breaker.
    const again = factory.create('orders-service', 'orders');
    const refused = await settle(again.execute(() => 'never'));
    expect(refused.error).toBeInstanceOf(CircuitOpenError);
    expect((refused.error as CircuitOpenError).retryAfter).toBeGreaterThan(59_000);
    await moduleRef.close();
  });

  it('works standalone, numbers attempts from 1, and lets hooks veto a retry', async () => {
    const factory = new ResiliencePolicyFactory({ logEvents: false });
    const seen: number[] = [];
    const policy = factory.create(
      'inventory',
      { retry: { maxAttempts: 5, backoff: { initialDelay: 1, jitter: false } } },
      { shouldRetry: (_error, attempt) => attempt < 3 },
    );
    const outcome = await settle(
      policy.execute(({ attempt }) => {
        seen.push(attempt);
        throw new Error(`attempt ${attempt}`);
      }),
    );
    expect(seen).toEqual([1, 2, 3]);
    expect((outcome.error as Error).message).toBe('attempt 3');
    await expect(policy.execute(({ attempt }) => `ok ${attempt}`)).resolves.toBe('ok 1');
  });

  it('gives each attempt its deadline signal and settles at once when the caller aborts during a backoff', async () => {
    const factory = new ResiliencePolicyFactory({ logEvents: false });
    const timed = factory.create('slow', { timeout: { ms: 20 } });
    let aborted = false;
    const timedOut = await settle(
      timed.execute(
        ({ signal }) =>
          new Promise((_resolve, reject) => {
            signal?.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('fetch aborted'));
            });
          }),
      ),
    );
    expect(isResilienceTimeoutError(timedOut.error)).toBe(true);
    expect(aborted).toBe(true);

    const retried = factory.create('flaky', { retry: { maxAttempts: 3, backoff: { initialDelay: 60_000, jitter: false } } });
    const controller = new AbortController();
    let attempts = 0;
    const pending = settle(
      retried.execute(() => {
        attempts++;
        throw new Error('flaky');
      }, controller.signal),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const outcome = await pending;
    expect(isTaskCancelledError(outcome.error)).toBe(true);
    expect(attempts).toBe(1);
  });

  it('runs a first attempt through the breaker without a signal, and hands a failure to the retry as its attempt 1', async () => {
    const registry = new ResilienceRegistry({ logEvents: false });
    const factory = new ResiliencePolicyFactory({ logEvents: false }, registry);
    const policy = factory.create('ledger', {
      retry: { maxAttempts: 3, backoff: { initialDelay: 1, jitter: false } },
      circuitBreaker: { consecutiveFailures: 4, halfOpenAfter: 60_000 },
    });
    const direct = policy.executeFirstAttemptDirect!;
    let signalAsked = 0;
    const signalOf = () => {
      signalAsked += 1;
      return new AbortController().signal;
    };
    // A healthy call: one attempt, no signal made or given.
    const seen: Array<[number, boolean]> = [];
    await expect(direct(({ attempt, signal }) => (seen.push([attempt, signal !== undefined]), 'ok'), signalOf)).resolves.toBe('ok');
    expect(seen).toEqual([[1, false]]);
    expect(signalAsked).toBe(0);
    // A failing first attempt: retried with the signal, attempts 1..3 each run once.
    seen.length = 0;
    const outcome = await settle(direct(({ attempt, signal }) => (seen.push([attempt, signal !== undefined]), Promise.reject(new Error(`attempt ${attempt}`))), signalOf));
    expect(seen).toEqual([[1, false], [2, true], [3, true]]);
    expect((outcome.error as Error).message).toBe('attempt 3');
    expect(signalAsked).toBe(1);
    // The breaker counted those three failures once each: one more opens it (4 consecutive), not fewer.
    expect(registry.get('ledger', 'circuit-breaker')?.state).toBe('closed');
    await settle(direct(() => Promise.reject(new Error('fourth')), () => undefined));
    expect(registry.get('ledger', 'circuit-breaker')?.state).toBe('open');
    // Open: refused before the function runs, and never retried.
    let ran = 0;
    const refused = await settle(direct(() => ++ran, signalOf));
    expect(refused.error).toBeInstanceOf(CircuitOpenError);
    expect(ran).toBe(0);
    // A timeout needs a signal on every attempt: no direct path there.
    expect(factory.create('timed', { timeout: { ms: 50 } }).executeFirstAttemptDirect).toBeUndefined();
  });

  it('validates options like the decorators, naming the target', () => {
    const factory = new ResiliencePolicyFactory();
    expect(() => factory.create('orders', { retry: { maxAttempts: 0 } })).toThrow(ResilienceConfigurationError);
    expect(() => factory.create('orders', { retry: { maxAttempts: 0 } })).toThrow(/ResiliencePolicyFactory\.create\("orders"\) retry option "maxAttempts"/);
    expect(() => factory.create('orders', 'missing')).toThrow(/names the policy "missing"/);
    expect(() => factory.create('orders', { retries: 1 } as never)).toThrow(/"retries"/);
    expect(() => factory.create('')).toThrow(/non-empty target name/);
  });
});
