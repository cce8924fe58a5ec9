// Module
export { ResilienceModule } from './resilience.module.js';
export type { ResilienceModuleExtras } from './resilience.module-definition.js';
export { ResilienceRegistry } from './resilience.registry.js';
export { ResilienceHealthIndicator, type ResilienceHealthResult } from './resilience-health.indicator.js';
export { currentSignal } from './resilience.signal.js';
export { ResilienceExceptionFilter } from './resilience-exception.filter.js';
export { resilienceRejectionOf, type ResilienceRejection, type ResilienceRejectionCode } from './resilience-rejection.js';
export { ResiliencePolicyFactory } from './policies/resilience-policy.factory.js';
export type { ResiliencePolicy, ResiliencePolicyContext, ResiliencePolicyHooks } from './interfaces/resilience-policy.interface.js';

// Decorators
export { CircuitBreaker, type CircuitBreakerDecoratorArg } from './decorators/circuit-breaker.decorator.js';
export { Retry, type RetryDecoratorArg } from './decorators/retry.decorator.js';
export { Timeout, type TimeoutDecoratorArg } from './decorators/timeout.decorator.js';
export { Bulkhead, type BulkheadDecoratorArg } from './decorators/bulkhead.decorator.js';
export { Fallback, type FallbackHandler } from './decorators/fallback.decorator.js';

// Options and introspection types
export type { BulkheadOptions } from './interfaces/bulkhead-options.interface.js';
export type { CircuitBreakerOptions, HalfOpenBackoffOptions } from './interfaces/circuit-breaker-options.interface.js';
export type { ErrorClass, ErrorFilter } from './interfaces/error-filter.interface.js';
export type {
  OpenBreakerHealthStatus,
  ResilienceDefaults,
  ResilienceModuleOptions,
  ResiliencePolicyOptions,
} from './interfaces/resilience-module-options.interface.js';
export type { ResilienceEvent, ResilienceEventType, ResiliencePolicyKind } from './interfaces/resilience-event.interface.js';
export type { BulkheadOccupancy, CircuitBreakerStateName, ResiliencePolicySnapshot } from './interfaces/resilience-policy-snapshot.interface.js';
export type { RetryBackoffOptions, RetryOptions } from './interfaces/retry-options.interface.js';
export type { TimeoutOptions } from './interfaces/timeout-options.interface.js';

// Errors
export { BulkheadFullError, isBulkheadFullError } from './errors/bulkhead-full.error.js';
export { CircuitOpenError, isCircuitOpenError } from './errors/circuit-open.error.js';
export { ResilienceConfigurationError, isResilienceConfigurationError } from './errors/resilience-configuration.error.js';
export { ResilienceTimeoutError, isResilienceTimeoutError } from './errors/resilience-timeout.error.js';
export { isResilienceError } from './errors/resilience-error.guard.js';
export { isCallerError } from './policies/error-classification.js';
export { POLICY_OPTION_KEYS } from './policies/options.resolver.js';
/** cockatiel's guards, true for this package's errors too (they extend cockatiel's). */
export { TaskCancelledError, isBrokenCircuitError, isBulkheadRejectedError, isIsolatedCircuitError, isTaskCancelledError } from 'cockatiel';
