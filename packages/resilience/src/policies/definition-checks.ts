import { describeValue } from '@nestmesh/common';
import { generatorDecoratorMessage, misplacedDecoratorMessage, repeatedDecoratorMessage } from '../errors/messages.constants.js';
import { ResilienceConfigurationError } from '../errors/resilience-configuration.error.js';
import type { BulkheadOptions } from '../interfaces/bulkhead-options.interface.js';
import type { CircuitBreakerOptions } from '../interfaces/circuit-breaker-options.interface.js';
import type { RetryOptions } from '../interfaces/retry-options.interface.js';
import type { TimeoutOptions } from '../interfaces/timeout-options.interface.js';
import type { ResilienceDecoratorName } from '../resilience.constants.js';
import type { MethodSite } from './method-dispatcher.js';
import { fail, resolveBulkheadOptions, resolveCircuitBreakerOptions, resolveRetryOptions, resolveTimeoutOptions } from './options.resolver.js';

/**
 * Checks of what no module option can change: each literal value and the rules between them. A required option
 * left out (`@Timeout()` may take `ms` from `defaults.timeout`) and rules against the app's `defaults` wait for
 * the module (or the first call without it): the neutral defaults below fill what the module may supply.
 */
const LITERAL_CHECKS: Readonly<Partial<Record<ResilienceDecoratorName, (where: string, options: never) => unknown>>> = {
  CircuitBreaker: (where, options: CircuitBreakerOptions) => resolveCircuitBreakerOptions(where, options),
  // A first delay of 0 stands for `defaults.retry.backoff.initialDelay`, so only a literal one bounds `maxDelay`.
  Retry: (where, options: RetryOptions) => resolveRetryOptions(where, options, { backoff: { initialDelay: 0 } }),
  Timeout: (where, options: number | TimeoutOptions) => resolveTimeoutOptions(where, options, { ms: 1 }),
  Bulkhead: (where, options: BulkheadOptions) => resolveBulkheadOptions(where, options, { limit: 1 }),
};

/**
 * @internal Checks the literal options of `@<decorator>(arg)` when the class is defined, so `@Retry({ maxAttempts: 0 })`
 * fails at import naming `Class.method`, even without `ResilienceModule`. A policy name waits for the module.
 */
export function checkLiteralOptions(decorator: ResilienceDecoratorName, where: string, arg: unknown): void {
  if (typeof arg !== 'string') LITERAL_CHECKS[decorator]?.(where, arg as never);
}

/** `Class.method` of a decorated member, named after the class that declares it. */
export function memberName(target: object, key: string | symbol): string {
  const cls = typeof target === 'function' ? target : (target as { constructor?: { name?: string } }).constructor;
  return `${cls?.name || 'anonymous'}.${String(key)}`;
}

/** How a decorator is written in messages: `@Retry()` with options, `@Retry("orders")` with a name. */
export const decoratorLabel = (decorator: string, arg: unknown): string => `@${decorator}(${typeof arg === 'string' ? JSON.stringify(arg) : ''})`;

/** Throws unless the decorator sits on a method, not a generator (a property, accessor or generator would be silently unprotected). */
export function checkPlacement(where: string, descriptor: PropertyDescriptor | undefined): void {
  if (typeof descriptor?.value === 'function') {
    const tag = Object.prototype.toString.call(descriptor.value);
    if (tag === '[object GeneratorFunction]' || tag === '[object AsyncGeneratorFunction]') throw new ResilienceConfigurationError(generatorDecoratorMessage(where));
    return;
  }
  const kind = descriptor === undefined ? 'a property' : descriptor.get || descriptor.set ? 'an accessor' : `a non-function member (${describeValue(descriptor.value)})`;
  throw new ResilienceConfigurationError(misplacedDecoratorMessage(where, kind));
}

/** Throws when the same decorator is written twice on one method (one of the two would be silently ignored). */
export function checkNotRepeated(where: string, metadataKey: string, original: object): void {
  if (Reflect.hasOwnMetadata(metadataKey, original)) throw new ResilienceConfigurationError(repeatedDecoratorMessage(where));
}

/**
 * Throws when `signalArg` names a parameter declared as something other than an `AbortSignal` (its argument would
 * be replaced by the signal). Parameters without a declared class (`any`, a union, none) are taken on trust.
 */
export function checkSignalParameter(where: string, site: MethodSite, index: number): void {
  const types: unknown = Reflect.getMetadata('design:paramtypes', site.owner, site.name);
  const type: unknown = Array.isArray(types) ? types[index] : undefined;
  if (typeof type !== 'function' || type === AbortSignal || type === Object) return;
  fail(where, 'signalArg', index, 'the index of a parameter declared as AbortSignal', `parameter ${index} is declared ${type.name}: point signalArg at the AbortSignal parameter (find(id: string, signal?: AbortSignal) takes signalArg: 1).`);
}
