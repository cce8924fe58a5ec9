import type { BulkheadOptions } from './bulkhead-options.interface.js';
import type { CircuitBreakerOptions } from './circuit-breaker-options.interface.js';
import type { RetryOptions } from './retry-options.interface.js';
import type { TimeoutOptions } from './timeout-options.interface.js';

/**
 * A named set of policies: `@CircuitBreaker('orders')` uses `policies.orders.circuitBreaker`, and every method
 * naming `orders` shares one breaker (and one bulkhead). Missing sections fall back to `defaults`.
 */
export interface ResiliencePolicyOptions {
  /** The shared breaker's options. */
  circuitBreaker?: CircuitBreakerOptions;
  /** Retry options (retries keep no state, so only the options are shared). */
  retry?: RetryOptions;
  /** Timeout options (`ms` required when given). */
  timeout?: TimeoutOptions;
  /** The shared bulkhead's options (`limit` required when given). */
  bulkhead?: BulkheadOptions;
}

/** Defaults merged under the options of every decorator (method options win). */
export interface ResilienceDefaults {
  /** Default `{}`: built-in defaults apply. */
  circuitBreaker?: CircuitBreakerOptions;
  /** Default `{}`: built-in defaults apply. */
  retry?: RetryOptions;
  /** Lets `@Timeout()` be written without a duration. Default none. */
  timeout?: Partial<TimeoutOptions>;
  /** Lets `@Bulkhead()` be written without a limit. Default none. */
  bulkhead?: Partial<BulkheadOptions>;
}

/** What an open (or isolated) breaker means to `ResilienceHealthIndicator`. */
export type OpenBreakerHealthStatus = 'down' | 'degraded' | 'up';

/**
 * Options of `ResilienceModule.forRoot()` / `forRootAsync()`. Every field is optional: `forRoot({})` works.
 *
 * @example
 * ResilienceModule.forRoot({
 *   defaults: { retry: { maxAttempts: 2 } },
 *   policies: { orders: { circuitBreaker: { consecutiveFailures: 3 }, retry: { maxAttempts: 4 } } },
 * })
 */
export interface ResilienceModuleOptions {
  /** Defaults for every decorator. Default `{}`. */
  defaults?: ResilienceDefaults;
  /** Named policies, referenced as `@CircuitBreaker('name')`, `@Retry('name')`... Default `{}`. */
  policies?: Record<string, ResiliencePolicyOptions>;
  /** Write one Nest Logger line per event (break, half-open, reset, retry, rejection, timeout). Default `true`. */
  logEvents?: boolean;
  /** Health status reported for an open or isolated breaker by `ResilienceHealthIndicator`. Default `'down'`. */
  openBreakerStatus?: OpenBreakerHealthStatus;
}
