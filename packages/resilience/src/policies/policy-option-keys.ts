import { optionKeys } from '@nestmesh/common';
import type { BulkheadOptions } from '../interfaces/bulkhead-options.interface.js';
import type { CircuitBreakerOptions, HalfOpenBackoffOptions } from '../interfaces/circuit-breaker-options.interface.js';
import type { ResiliencePolicyOptions } from '../interfaces/resilience-module-options.interface.js';
import type { RetryBackoffOptions, RetryOptions } from '../interfaces/retry-options.interface.js';
import type { TimeoutOptions } from '../interfaces/timeout-options.interface.js';

/**
 * The keys of every options object of the policies, checked against their interfaces by the compiler: one list
 * for the decorators, the module's defaults and named policies, and `@nestmesh/client` (a service's `retry`,
 * `circuitBreaker`, `bulkhead`). @internal
 */
export const POLICY_OPTION_KEYS = {
  /** The sections of a named policy, of `defaults`, of `ResiliencePolicyFactory.create()`. */
  sections: optionKeys<ResiliencePolicyOptions>()({ circuitBreaker: true, retry: true, timeout: true, bulkhead: true }),
  circuitBreaker: optionKeys<CircuitBreakerOptions>()({
    consecutiveFailures: true,
    failureRate: true,
    window: true,
    minimumThroughput: true,
    halfOpenAfter: true,
    halfOpenProbes: true,
    failOn: true,
  }),
  halfOpenAfter: optionKeys<HalfOpenBackoffOptions>()({ initialDelay: true, maxDelay: true, exponent: true }),
  retry: optionKeys<RetryOptions>()({ maxAttempts: true, backoff: true, retryOn: true }),
  backoff: optionKeys<RetryBackoffOptions>()({ initialDelay: true, maxDelay: true, exponent: true, jitter: true }),
  timeout: optionKeys<TimeoutOptions>()({ ms: true, signalArg: true }),
  bulkhead: optionKeys<BulkheadOptions>()({ limit: true, queue: true }),
} as const;
