import { Observable } from 'rxjs';
import type { FallbackMetadata } from '../decorators/fallback.decorator.js';
import type { ResiliencePolicyOptions } from '../interfaces/resilience-module-options.interface.js';
import { DECORATOR_METADATA, type ResilienceDecoratorName } from '../resilience.constants.js';
import { checkSignalParameter, decoratorLabel } from './definition-checks.js';
import type { MethodSite } from './method-dispatcher.js';
import type { MethodPlan } from './method-invoker.js';
import { namedPolicy } from './options.resolver.js';
import type { PolicyPartsBuilder } from './policy-parts.builder.js';
import { buildPlainRunner, buildRunner, type StackParts } from './policy-stack.js';

/** @internal What `@<decorator>()` wrote on a method: its options, a policy name, or `undefined`. */
export const decorationOf = (site: MethodSite, decorator: ResilienceDecoratorName): unknown =>
  Reflect.getMetadata(DECORATOR_METADATA[decorator], site.original);

/**
 * @internal Turns one method's decorations into a {@link MethodPlan} for one app: validates the options (messages
 * name `Class.method`), gets breakers and bulkheads from the app's registry and composes the stack once.
 */
export function buildMethodPlan(builder: PolicyPartsBuilder, method: string, site: MethodSite): MethodPlan {
  const parts: { -readonly [K in keyof StackParts]: StackParts[K] } = { method };
  // A decorator's own options, or the section of the policy it names (`shared`). Read in the stack's order.
  const section = (decorator: ResilienceDecoratorName, key: keyof ResiliencePolicyOptions) => {
    const arg = decorationOf(site, decorator);
    if (arg === undefined) return undefined;
    const where = `${method}: ${decoratorLabel(decorator, arg)}`;
    if (typeof arg !== 'string') return { where, options: arg as never, shared: undefined };
    return { where, options: (namedPolicy(builder.options, where, arg)[key] ?? {}) as never, shared: arg };
  };

  const breaker = section('CircuitBreaker', 'circuitBreaker');
  if (breaker) parts.breaker = builder.circuitBreaker(breaker.where, breaker.options, method, breaker.shared);
  const retry = section('Retry', 'retry');
  if (retry) parts.retry = builder.retry(retry.where, retry.options, method);
  const timeout = section('Timeout', 'timeout');
  if (timeout) parts.timeout = builder.timeout(timeout.where, timeout.options, method);
  if (timeout && parts.timeout?.signalArg !== undefined) checkSignalParameter(timeout.where, site, parts.timeout.signalArg);
  const bulkhead = section('Bulkhead', 'bulkhead');
  if (bulkhead) parts.bulkhead = builder.bulkhead(bulkhead.where, bulkhead.options, method, bulkhead.shared);
  const fallback = decorationOf(site, 'Fallback') as FallbackMetadata | undefined;
  if (fallback !== undefined) builder.registry.attach('fallback', method, method);

  return {
    runner: buildRunner(parts),
    plainRunner: buildPlainRunner(parts),
    fallback,
    signal: parts.timeout && { signalArg: parts.timeout.signalArg },
    // A breaker too: an attempt left unsettled would keep a half-open circuit waiting for its verdict forever.
    cancellable: Boolean(parts.timeout ?? parts.bulkhead ?? parts.retry ?? parts.breaker),
    bufferAttempts: parts.retry !== undefined,
  };
}

/** @internal Whether the method's `design:returntype` is rxjs' `Observable` (or a subclass, from any copy of rxjs). */
export function returnsObservable(site: MethodSite): boolean {
  const type: unknown = Reflect.getMetadata('design:returntype', site.owner, site.name);
  if (typeof type !== 'function') return false;
  if (type === Observable || type.prototype instanceof Observable) return true;
  const proto = (type as { prototype?: { subscribe?: unknown; pipe?: unknown; lift?: unknown } }).prototype;
  return typeof proto?.subscribe === 'function' && typeof proto.pipe === 'function' && typeof proto.lift === 'function';
}
