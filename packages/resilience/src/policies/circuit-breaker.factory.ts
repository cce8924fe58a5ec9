import {
  CircuitBreakerPolicy,
  ConsecutiveBreaker,
  ExponentialBackoff,
  SamplingBreaker,
  circuitBreaker,
  handleWhen,
  noJitterGenerator,
  type IBreaker,
} from 'cockatiel';
import { breakerFilter } from './error-classification.js';
import type { ResolvedCircuitBreakerOptions } from './resolved-options.interface.js';

/** @internal A cockatiel breaker and the `IBreaker` counting its failures (read by the registry). */
export interface CreatedCircuitBreaker {
  readonly policy: CircuitBreakerPolicy;
  readonly breaker: IBreaker;
}

/**
 * @internal Builds the cockatiel breaker for resolved options: a `ConsecutiveBreaker(consecutiveFailures)` or a
 * `SamplingBreaker` (`failureRate` → threshold, `window` → duration, `minimumThroughput / window` → minimum rps),
 * `halfOpenAfter` constant or exponential, `halfOpenProbes` → `halfOpenSampling.calls`.
 */
export function createCircuitBreaker(options: ResolvedCircuitBreakerOptions): CreatedCircuitBreaker {
  const breaker: IBreaker =
    options.failureRate === undefined
      ? new ConsecutiveBreaker(options.consecutiveFailures ?? 1)
      : new SamplingBreaker({
          threshold: options.failureRate,
          duration: options.window,
          minimumRps: options.minimumThroughput / (options.window / 1000),
        });
  const { halfOpenAfter } = options;
  const policy = circuitBreaker(handleWhen(breakerFilter(options.failOn)), {
    breaker,
    halfOpenAfter:
      typeof halfOpenAfter === 'number'
        ? halfOpenAfter
        : new ExponentialBackoff({ ...halfOpenAfter, generator: noJitterGenerator }),
    halfOpenSampling: { calls: options.halfOpenProbes, threshold: 0 },
  });
  return { policy, breaker };
}

/** @internal Recent failures of a cockatiel breaker: consecutive ones, or those in the sampling window. */
export function recentFailures(breaker: IBreaker): number {
  const state: unknown = breaker.state;
  if (typeof state === 'number') return state;
  if (typeof state === 'object' && state !== null && typeof (state as { currentFailures?: unknown }).currentFailures === 'number') {
    return (state as { currentFailures: number }).currentFailures;
  }
  return 0;
}
