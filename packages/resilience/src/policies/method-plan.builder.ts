import { Observable } from 'rxjs';
import type { BulkheadDecoratorArg } from '../decorators/bulkhead.decorator.js';
import type { CircuitBreakerDecoratorArg } from '../decorators/circuit-breaker.decorator.js';
import type { FallbackMetadata } from '../decorators/fallback.decorator.js';
import type { RetryDecoratorArg } from '../decorators/retry.decorator.js';
import type { TimeoutDecoratorArg } from '../decorators/timeout.decorator.js';
import type { BulkheadOptions } from '../interfaces/bulkhead-options.interface.js';
import type { TimeoutOptions } from '../interfaces/timeout-options.interface.js';
import { decoratorLabel } from './definition-checks.js';
import type { MethodPlan } from './method-invoker.js';
import { namedPolicy } from './named-policies.js';
import type { PolicyPartsBuilder } from './policy-parts.builder.js';
import { buildPlainRunner, buildRunner, type StackParts } from './policy-stack.js';

/** @internal The decorator metadata found on one method. */
export interface MethodDecorations {
  readonly circuitBreaker?: CircuitBreakerDecoratorArg;
  readonly retry?: RetryDecoratorArg;
  readonly timeout?: TimeoutDecoratorArg;
  readonly bulkhead?: BulkheadDecoratorArg;
  readonly fallback?: FallbackMetadata;
  /** `design:returntype` of the method, when TypeScript emitted it. */
  readonly returnType?: unknown;
}

/**
 * @internal Turns one method's decorations into a {@link MethodPlan} for one app: validates the options
 * (messages name `Class.method`), gets shared breakers and bulkheads from the app's registry (per policy name,
 * else per method) and composes the stack once.
 */
export function buildMethodPlan(builder: PolicyPartsBuilder, method: string, decorations: MethodDecorations): MethodPlan {
  const { options } = builder;
  const parts: { -readonly [K in keyof StackParts]: StackParts[K] } = { method };
  const at = (decorator: string, arg: unknown) => `${method}: ${decoratorLabel(decorator, arg)}`;
  let signal: MethodPlan['signal'];

  if (decorations.circuitBreaker !== undefined) {
    const arg = decorations.circuitBreaker;
    const where = at('CircuitBreaker', arg);
    if (typeof arg === 'string') parts.breaker = builder.circuitBreaker(where, namedPolicy(options, where, arg).circuitBreaker ?? {}, arg, method);
    else parts.breaker = builder.circuitBreaker(where, arg, method, method, method);
  }

  if (decorations.retry !== undefined) {
    const arg = decorations.retry;
    const where = at('Retry', arg);
    parts.retry = builder.retry(where, typeof arg === 'string' ? (namedPolicy(options, where, arg).retry ?? {}) : arg, method);
  }

  if (decorations.timeout !== undefined) {
    const arg = decorations.timeout;
    const where = at('Timeout', arg);
    const raw = typeof arg === 'string' ? (namedPolicy(options, where, arg).timeout ?? ({} as TimeoutOptions)) : arg;
    const { part, signalArg } = builder.timeout(where, raw, method);
    parts.timeout = part;
    signal = { signalArg };
  }

  if (decorations.bulkhead !== undefined) {
    const arg = decorations.bulkhead;
    const where = at('Bulkhead', arg);
    if (typeof arg === 'string') parts.bulkhead = builder.bulkhead(where, namedPolicy(options, where, arg).bulkhead ?? ({} as BulkheadOptions), arg, method);
    else parts.bulkhead = builder.bulkhead(where, arg, method, method, method);
  }

  if (decorations.fallback !== undefined) builder.registry.attach('fallback', method, method);

  const hasPolicies = Boolean(parts.breaker ?? parts.retry ?? parts.timeout ?? parts.bulkhead);
  return {
    runner: hasPolicies ? buildRunner(parts) : undefined,
    plainRunner: hasPolicies ? buildPlainRunner(parts) : undefined,
    fallback: decorations.fallback,
    signal,
    observable: isObservableClass(decorations.returnType),
    cancellable: Boolean(parts.timeout ?? parts.bulkhead ?? parts.retry),
    bufferAttempts: parts.retry !== undefined,
  };
}

/** @internal Whether `design:returntype` names rxjs' `Observable` (or a subclass, from any copy of rxjs). */
export function isObservableClass(type: unknown): boolean {
  if (typeof type !== 'function') return false;
  if (type === Observable || type.prototype instanceof Observable) return true;
  const proto = (type as { prototype?: { subscribe?: unknown; pipe?: unknown; lift?: unknown } }).prototype;
  return typeof proto?.subscribe === 'function' && typeof proto.pipe === 'function' && typeof proto.lift === 'function';
}
