import { resilienceDecorator } from '../policies/method-dispatcher.js';
import type { CircuitBreakerOptions } from '../interfaces/circuit-breaker-options.interface.js';

/** What `@CircuitBreaker()` accepts: options (one breaker for this method) or a policy name (a shared breaker). */
export type CircuitBreakerDecoratorArg = CircuitBreakerOptions | string;

/**
 * Guards the method with a circuit breaker (cockatiel). With options, the method gets its own breaker per concrete class, shared
 * by every instance of the class; with a name, every method naming it shares `policies.<name>`'s breaker.
 * While open, calls fail at once with `CircuitOpenError`. The policies are those of the app owning the instance (see the README: without `ResilienceModule`, built-in defaults).
 *
 * @example
 * @CircuitBreaker({ consecutiveFailures: 3, halfOpenAfter: 5_000 })
 * async charge(order: Order) { ... }
 *
 * @CircuitBreaker('payments') // ResilienceModule.forRoot({ policies: { payments: { circuitBreaker: {...} } } })
 */
export const CircuitBreaker = (optionsOrName: CircuitBreakerDecoratorArg = {}): MethodDecorator =>
  resilienceDecorator(optionsOrName, 'CircuitBreaker');
