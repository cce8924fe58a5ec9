import type { ErrorFilter } from './error-filter.interface.js';

/** How long an open breaker waits before letting a probe through, growing while probes keep failing. */
export interface HalfOpenBackoffOptions {
  /** Wait after the first break, in ms. Required. */
  initialDelay: number;
  /** The wait never grows beyond this, in ms. Required, `>= initialDelay`. */
  maxDelay: number;
  /** Factor applied after each failed probe. Default `2`. */
  exponent?: number;
}

/**
 * Options of `@CircuitBreaker()` (and of `defaults.circuitBreaker` / `policies.<name>.circuitBreaker`).
 *
 * Set `consecutiveFailures` for a consecutive breaker, or `failureRate` (with `window` and
 * `minimumThroughput`) for a sampling breaker; not both.
 *
 * @example
 * @CircuitBreaker({ consecutiveFailures: 3, halfOpenAfter: 5_000 })
 * @CircuitBreaker({ failureRate: 0.5, window: 10_000, minimumThroughput: 20 })
 */
export interface CircuitBreakerOptions {
  /** Opens after this many failures in a row (cockatiel `ConsecutiveBreaker`). Default `5` when `failureRate` is not set. */
  consecutiveFailures?: number;
  /**
   * Opens when at least this share (0 < rate < 1) of the calls in the last `window` ms failed, once there were
   * at least `minimumThroughput` calls in it. Exact: a true sliding window, compared in integers (`0.3` of 10
   * calls is 3 failures). Default: none (a consecutive breaker).
   */
  failureRate?: number;
  /** Sliding window of `failureRate`, in ms: older calls never count. Default `30000`. */
  window?: number;
  /** A sampling breaker never opens with fewer calls than this in `window`. Default `10`. */
  minimumThroughput?: number;
  /** Time the breaker stays open before a half-open probe, in ms, or a growing backoff. Default `10000`. */
  halfOpenAfter?: number | HalfOpenBackoffOptions;
  /**
   * How many calls may run concurrently as half-open probes (cockatiel `halfOpenSampling.calls`); the breaker
   * closes when all of them succeed and opens again on the first failure. Calls beyond it wait for the verdict.
   * Default `1`.
   */
  halfOpenProbes?: number;
  /**
   * Which errors count as failures. Default: every error except those meaning "the caller was wrong" (a
   * `status`/`statusCode`/`getStatus()` in 400–499 other than 408 and 429), bulkhead rejections and
   * cancellations by the caller.
   */
  failOn?: ErrorFilter;
}
