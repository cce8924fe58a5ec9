import type { ErrorFilter } from '../interfaces/error-filter.interface.js';

/** @internal Circuit-breaker options after defaults and validation. */
export interface ResolvedCircuitBreakerOptions {
  readonly consecutiveFailures?: number;
  readonly failureRate?: number;
  readonly window: number;
  readonly minimumThroughput: number;
  readonly halfOpenAfter: number | { readonly initialDelay: number; readonly maxDelay: number; readonly exponent: number };
  readonly halfOpenProbes: number;
  readonly failOn?: ErrorFilter;
}

/** @internal Retry options after defaults and validation (`jitter` as a fraction 0..1). */
export interface ResolvedRetryOptions {
  readonly maxAttempts: number;
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly exponent: number;
  readonly jitter: number;
  readonly retryOn?: ErrorFilter;
}

/** @internal Timeout options after validation. */
export interface ResolvedTimeoutOptions {
  readonly ms: number;
  readonly signalArg?: number;
}

/** @internal Bulkhead options after defaults and validation. */
export interface ResolvedBulkheadOptions {
  readonly limit: number;
  readonly queue: number;
}
