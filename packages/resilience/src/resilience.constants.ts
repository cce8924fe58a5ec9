/**
 * Metadata keys, injection tokens and built-in defaults of `@nestmesh/resilience`.
 * Keys are namespaced `NESTMESH:` so they never collide with another library's metadata.
 */

/** @internal Metadata key written by `@CircuitBreaker()`. */
export const CIRCUIT_BREAKER_METADATA = 'NESTMESH:resilience:circuit-breaker';
/** @internal Metadata key written by `@Retry()`. */
export const RETRY_METADATA = 'NESTMESH:resilience:retry';
/** @internal Metadata key written by `@Timeout()`. */
export const TIMEOUT_METADATA = 'NESTMESH:resilience:timeout';
/** @internal Metadata key written by `@Bulkhead()`. */
export const BULKHEAD_METADATA = 'NESTMESH:resilience:bulkhead';
/** @internal Metadata key written by `@Fallback()`. */
export const FALLBACK_METADATA = 'NESTMESH:resilience:fallback';

/** @internal Token of the provider that builds (and validates) the app's policies while Nest instantiates the graph. */
export const RESILIENCE_BOOTSTRAP = 'NESTMESH:resilience:bootstrap';

/** @internal Logger context of every line this package writes. */
export const RESILIENCE_LOGGER_CONTEXT = 'Resilience';

/** @internal Key of the brand every error of this package carries (survives two copies of the package). */
export const RESILIENCE_ERROR_BRAND: unique symbol = Symbol.for('NESTMESH:resilience:error');

/** @internal Built-in defaults, documented on each options interface. */
export const DEFAULTS = {
  circuitBreaker: {
    consecutiveFailures: 5,
    window: 30_000,
    minimumThroughput: 10,
    halfOpenAfter: 10_000,
    halfOpenProbes: 1,
  },
  retry: {
    maxAttempts: 3,
    initialDelay: 100,
    maxDelay: 10_000,
    exponent: 2,
    jitter: true,
  },
  bulkhead: {
    queue: 0,
  },
} as const;
