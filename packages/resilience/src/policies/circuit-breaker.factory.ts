import { CircuitBreakerPolicy, ConsecutiveBreaker, circuitBreaker, handleWhen, type IBreaker } from 'cockatiel';
import { breakerFilter } from './error-classification.js';
import { HalfOpenClock } from './half-open.clock.js';
import type { ResolvedCircuitBreakerOptions } from './resolved-options.interface.js';
import { WindowBreaker } from './window.breaker.js';

/** @internal A cockatiel breaker, the `IBreaker` counting its failures (read by the registry) and its half-open clock. */
export interface CreatedCircuitBreaker {
  readonly policy: CircuitBreakerPolicy;
  readonly breaker: IBreaker;
  readonly clock: HalfOpenClock;
}

/**
 * @internal Builds the cockatiel breaker for resolved options: a `ConsecutiveBreaker(consecutiveFailures)` or a
 * {@link WindowBreaker} (`failureRate`, `window`, `minimumThroughput`, exact), `halfOpenAfter` constant or
 * exponential, `halfOpenProbes` → `halfOpenSampling.calls`.
 */
export function createCircuitBreaker(options: ResolvedCircuitBreakerOptions): CreatedCircuitBreaker {
  const breaker: IBreaker =
    options.failureRate === undefined
      ? new ConsecutiveBreaker(options.consecutiveFailures ?? 1)
      : new WindowBreaker(options.failureRate, options.window, options.minimumThroughput);
  const clock = new HalfOpenClock(options.halfOpenAfter);
  const policy = circuitBreaker(handleWhen(breakerFilter(options.failOn)), {
    breaker,
    halfOpenAfter: clock,
    halfOpenSampling: { calls: options.halfOpenProbes, threshold: 0 },
  });
  return { policy, breaker, clock };
}

/** @internal Recent failures of a breaker: consecutive ones, or those in the sampling window. */
export function recentFailures(breaker: IBreaker): number {
  const state: unknown = breaker.state;
  if (typeof state === 'number') return state;
  if (typeof state === 'object' && state !== null && typeof (state as { failures?: unknown }).failures === 'number') {
    return (state as { failures: number }).failures;
  }
  return 0;
}
