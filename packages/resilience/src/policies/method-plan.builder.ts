import { handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { Observable } from 'rxjs';
import type { BulkheadDecoratorArg } from '../decorators/bulkhead.decorator.js';
import type { CircuitBreakerDecoratorArg } from '../decorators/circuit-breaker.decorator.js';
import type { FallbackMetadata } from '../decorators/fallback.decorator.js';
import type { RetryDecoratorArg } from '../decorators/retry.decorator.js';
import type { TimeoutDecoratorArg } from '../decorators/timeout.decorator.js';
import type { ResilienceModuleOptions } from '../interfaces/resilience-module-options.interface.js';
import type { ResilienceRegistry } from '../resilience.registry.js';
import { BulkheadGate } from './bulkhead.gate.js';
import { createCircuitBreaker } from './circuit-breaker.factory.js';
import { retryFilter } from './error-classification.js';
import type { MethodPlan } from './method-invoker.js';
import { namedPolicy } from './named-policies.js';
import { resolveBulkheadOptions, resolveCircuitBreakerOptions, resolveRetryOptions, resolveTimeoutOptions } from './options.resolver.js';
import { buildPlainRunner, buildRunner, type StackParts } from './policy-stack.js';
import { RetryBackoff } from './retry-backoff.js';

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
 * @internal Turns one method's decorations into a {@link MethodPlan}: validates the options (messages name
 * `Class.method`), gets shared breakers and bulkheads from the registry (per policy name, else per method)
 * and composes the stack once.
 */
export class MethodPlanBuilder {
  constructor(
    private readonly options: ResilienceModuleOptions,
    private readonly registry: ResilienceRegistry,
  ) {}

  build(method: string, decorations: MethodDecorations): MethodPlan {
    const defaults = this.options.defaults ?? {};
    const parts: { -readonly [K in keyof StackParts]: StackParts[K] } = { method };
    let signal: MethodPlan['signal'];

    if (decorations.circuitBreaker !== undefined) {
      const arg = decorations.circuitBreaker;
      const where = `${method}: @CircuitBreaker(${typeof arg === 'string' ? JSON.stringify(arg) : ''})`;
      const resolved = typeof arg === 'string'
        ? resolveCircuitBreakerOptions(where, namedPolicy(this.options, where, arg).circuitBreaker ?? {}, defaults.circuitBreaker)
        : resolveCircuitBreakerOptions(where, arg, defaults.circuitBreaker);
      const name = typeof arg === 'string' ? arg : method;
      const { entry, created } = this.registry.attach('circuit-breaker', name, method);
      if (created) {
        entry.breaker = createCircuitBreaker(resolved);
        this.watchBreaker(name, entry.breaker.policy, typeof arg === 'string' ? undefined : method);
      }
      parts.breaker = { name, policy: entry.breaker!.policy };
    }

    if (decorations.retry !== undefined) {
      const arg = decorations.retry;
      const where = `${method}: @Retry(${typeof arg === 'string' ? JSON.stringify(arg) : ''})`;
      const raw = typeof arg === 'string' ? (namedPolicy(this.options, where, arg).retry ?? {}) : arg;
      const resolved = resolveRetryOptions(where, raw, defaults.retry);
      parts.retry = this.createRetry(method, resolved);
    }

    if (decorations.timeout !== undefined) {
      const arg = decorations.timeout;
      const where = `${method}: @Timeout(${typeof arg === 'string' ? JSON.stringify(arg) : ''})`;
      const raw = typeof arg === 'string' ? (namedPolicy(this.options, where, arg).timeout ?? {}) : arg;
      const resolved = resolveTimeoutOptions(where, raw as Exclude<TimeoutDecoratorArg, string>, defaults.timeout);
      this.registry.attach('timeout', method, method);
      parts.timeout = { ms: resolved.ms, onTimeout: (error) => this.registry.emit({ type: 'timeout', kind: 'timeout', policy: method, method, error }) };
      signal = { signalArg: resolved.signalArg };
    }

    if (decorations.bulkhead !== undefined) {
      const arg = decorations.bulkhead;
      const where = `${method}: @Bulkhead(${typeof arg === 'string' ? JSON.stringify(arg) : ''})`;
      const raw = typeof arg === 'string' ? (namedPolicy(this.options, where, arg).bulkhead ?? {}) : arg;
      const resolved = resolveBulkheadOptions(where, raw as never, defaults.bulkhead);
      const name = typeof arg === 'string' ? arg : method;
      const { entry, created } = this.registry.attach('bulkhead', name, method);
      if (created) {
        entry.bulkhead = new BulkheadGate(name, resolved);
        this.registry.track(
          entry.bulkhead.policy.onReject(() =>
            this.registry.emit({ type: 'rejection', kind: 'bulkhead', policy: name, method: typeof arg === 'string' ? undefined : method }),
          ),
        );
      }
      parts.bulkhead = entry.bulkhead!;
    }

    if (decorations.fallback !== undefined) this.registry.attach('fallback', method, method);

    const hasPolicies = Boolean(parts.breaker ?? parts.retry ?? parts.timeout ?? parts.bulkhead);
    return {
      method,
      runner: hasPolicies ? buildRunner(parts) : undefined,
      plainRunner: hasPolicies ? buildPlainRunner(parts) : undefined,
      fallback: decorations.fallback,
      signal,
      observable: isObservableClass(decorations.returnType),
      cancellable: Boolean(parts.timeout ?? parts.bulkhead),
      bufferAttempts: parts.retry !== undefined,
    };
  }

  private createRetry(method: string, resolved: ReturnType<typeof resolveRetryOptions>): RetryPolicy {
    const policy = retry(handleWhen(retryFilter(resolved.retryOn)), { maxAttempts: resolved.maxAttempts - 1, backoff: new RetryBackoff(resolved) });
    this.registry.attach('retry', method, method);
    this.registry.track(
      policy.onRetry((event) =>
        this.registry.emit({
          type: 'retry',
          kind: 'retry',
          policy: method,
          method,
          error: 'error' in event ? event.error : undefined,
          attempt: event.attempt + 1,
          delay: event.delay,
        }),
      ),
    );
    return policy;
  }

  private watchBreaker(name: string, policy: NonNullable<StackParts['breaker']>['policy'], method: string | undefined): void {
    const base = { kind: 'circuit-breaker', policy: name, method } as const;
    this.registry.track(policy.onBreak((reason) => this.registry.emit({ ...base, type: 'break', error: 'error' in reason ? reason.error : undefined })));
    this.registry.track(policy.onHalfOpen(() => this.registry.emit({ ...base, type: 'half-open' })));
    this.registry.track(policy.onReset(() => this.registry.emit({ ...base, type: 'reset' })));
  }
}

/** Whether `design:returntype` names rxjs' `Observable` (or a subclass, from any copy of rxjs). */
function isObservableClass(type: unknown): boolean {
  if (typeof type !== 'function') return false;
  if (type === Observable || type.prototype instanceof Observable) return true;
  const proto = (type as { prototype?: { subscribe?: unknown; pipe?: unknown; lift?: unknown } }).prototype;
  return typeof proto?.subscribe === 'function' && typeof proto.pipe === 'function' && typeof proto.lift === 'function';
}
