/* Metadata keys (namespaced `NESTMESH:`, so they never collide with another library's), tokens and defaults. */

/** @internal The metadata key each decorator writes, by decorator name. */
export const DECORATOR_METADATA = {
  CircuitBreaker: 'NESTMESH:resilience:circuit-breaker',
  Retry: 'NESTMESH:resilience:retry',
  Timeout: 'NESTMESH:resilience:timeout',
  Bulkhead: 'NESTMESH:resilience:bulkhead',
  Fallback: 'NESTMESH:resilience:fallback',
} as const;

/** @internal The name of one of the package's decorators. */
export type ResilienceDecoratorName = keyof typeof DECORATOR_METADATA;

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
