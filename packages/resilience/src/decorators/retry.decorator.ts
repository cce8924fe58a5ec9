import { resilienceDecorator } from '../policies/method-dispatcher.js';
import type { RetryOptions } from '../interfaces/retry-options.interface.js';

/** What `@Retry()` accepts: options, or the name of a policy whose `retry` section applies. */
export type RetryDecoratorArg = RetryOptions | string;

/**
 * Retries the method with exponential backoff and jitter. `maxAttempts` counts every call, the first included.
 * Each attempt passes the circuit breaker and gets its own timeout. Applied per app (see `ResilienceModule`).
 *
 * @example
 * @Retry({ maxAttempts: 3, backoff: { initialDelay: 100, maxDelay: 2_000 } })
 * async fetchRates() { ... }
 */
export const Retry = (optionsOrName: RetryDecoratorArg = {}): MethodDecorator =>
  resilienceDecorator(optionsOrName, 'Retry');
