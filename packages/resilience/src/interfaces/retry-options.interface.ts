import type { ErrorFilter } from './error-filter.interface.js';

/** Exponential backoff between retry attempts. */
export interface RetryBackoffOptions {
  /** Delay before the second attempt, in ms. Default `100`. */
  initialDelay?: number;
  /** No delay is longer than this, in ms (a `retryAfter` hint included). Default `10000`. */
  maxDelay?: number;
  /** Growth factor of the delay between attempts. Default `2`. */
  exponent?: number;
  /**
   * Randomisation of each delay: `true` (full jitter, a delay in [0, d)), `false` (exactly d), or a fraction
   * `0..1` of the delay that is randomised (`0.2` gives a delay in [0.8 d, d)). Default `true`.
   */
  jitter?: boolean | number;
}

/**
 * Options of `@Retry()` (and of `defaults.retry` / `policies.<name>.retry`).
 *
 * An error may carry a `retryAfter` hint: a number of milliseconds, a `Date`, or an HTTP `Retry-After` string
 * (seconds or an HTTP date). The next attempt then waits at least that long, but never more than `maxDelay`.
 *
 * @example
 * @Retry({ maxAttempts: 4, backoff: { initialDelay: 50, maxDelay: 1_000, jitter: 0.2 } })
 */
export interface RetryOptions {
  /** Every attempt counts, the first included: `3` means at most 3 calls. Integer `>= 1`. Default `3`. */
  maxAttempts?: number;
  /** Delays between attempts. Defaults documented on {@link RetryBackoffOptions}. */
  backoff?: RetryBackoffOptions;
  /**
   * Which errors are retried. Default: every error except caller errors (4xx other than 408 and 429),
   * open-circuit and bulkhead rejections (local fast-fail signals) and cancellations by the caller. An open
   * circuit is never retried, whatever this says.
   */
  retryOn?: ErrorFilter;
}
