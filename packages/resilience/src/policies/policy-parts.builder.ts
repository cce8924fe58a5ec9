import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy, type IBreaker } from 'cockatiel';
import type { BulkheadOptions } from '../interfaces/bulkhead-options.interface.js';
import type { CircuitBreakerOptions } from '../interfaces/circuit-breaker-options.interface.js';
import type { ResilienceModuleOptions } from '../interfaces/resilience-module-options.interface.js';
import type { RetryOptions } from '../interfaces/retry-options.interface.js';
import type { TimeoutOptions } from '../interfaces/timeout-options.interface.js';
import type { ResilienceRegistry } from '../resilience.registry.js';
import { BulkheadGate } from './bulkhead.gate.js';
import { breakerFilter } from './error-classification.js';
import { HalfOpenClock } from './half-open.clock.js';
import { resolveBulkheadOptions, resolveCircuitBreakerOptions, resolveRetryOptions, resolveTimeoutOptions } from './options.resolver.js';
import type { StackParts } from './policy-stack.js';
import { RetryExecutor } from './retry.executor.js';
import { WindowBreaker } from './window.breaker.js';

type Part<K extends keyof StackParts> = NonNullable<StackParts[K]>;

/**
 * @internal Creates the parts of a policy stack for one app, for the decorators and `ResiliencePolicyFactory` alike:
 * validates options over the app's `defaults` (messages start with `where`), shares breakers and bulkheads by name.
 */
export class PolicyPartsBuilder {
  constructor(
    readonly options: ResilienceModuleOptions,
    readonly registry: ResilienceRegistry,
    /** True once the app that owns the parts closed: retries start no further attempt. */
    private readonly closed?: () => boolean,
  ) {}

  /**
   * The breaker of `method`, or of the policy it `shared` (created on first use; its events name `method` only when
   * it is its own): a `ConsecutiveBreaker` or a {@link WindowBreaker} (`failureRate`).
   */
  circuitBreaker(where: string, raw: CircuitBreakerOptions, method: string, shared?: string): Part<'breaker'> {
    const resolved = resolveCircuitBreakerOptions(where, raw, this.options.defaults?.circuitBreaker);
    const name = shared ?? method;
    const { entry, created } = this.registry.attach('circuit-breaker', name, method);
    if (created) {
      const { failureRate, window, minimumThroughput } = resolved;
      const breaker: IBreaker =
        failureRate === undefined
          ? new ConsecutiveBreaker(resolved.consecutiveFailures ?? 1)
          : new WindowBreaker(failureRate, window, minimumThroughput);
      const clock = new HalfOpenClock(resolved.halfOpenAfter);
      const halfOpen = () => policy.state === CircuitState.HalfOpen;
      const policy: CircuitBreakerPolicy = circuitBreaker(handleWhen(breakerFilter(resolved.failOn, halfOpen)), {
        breaker,
        halfOpenAfter: clock,
        halfOpenSampling: { calls: resolved.halfOpenProbes, threshold: 0 },
      });
      entry.breaker = { policy, breaker, clock };
      const base = { kind: 'circuit-breaker', policy: name, method: shared === undefined ? method : undefined } as const;
      this.registry.track(policy.onBreak((reason) => this.registry.emit({ ...base, type: 'break', error: 'error' in reason ? reason.error : undefined })));
      this.registry.track(policy.onHalfOpen(() => this.registry.emit({ ...base, type: 'half-open' })));
      this.registry.track(policy.onReset(() => this.registry.emit({ ...base, type: 'reset' })));
    }
    const { policy, clock } = entry.breaker!;
    return { name, policy, clock };
  }

  /** A retry loop reporting its retries as `label`; `veto` may refuse retrying an error (attempt numbered from 1). */
  retry(where: string, raw: RetryOptions, label: string, veto?: (error: unknown, attempt: number) => boolean): Part<'retry'> {
    const resolved = resolveRetryOptions(where, raw, this.options.defaults?.retry);
    this.registry.attach('retry', label, label);
    return new RetryExecutor(
      resolved,
      veto,
      (notice) => this.registry.emit({ type: 'retry', kind: 'retry', policy: label, method: label, ...notice }),
      this.closed,
    );
  }

  /** A deadline reported as `label`, and the `signalArg` it names. */
  timeout(where: string, raw: number | TimeoutOptions, label: string): Part<'timeout'> {
    const { ms, signalArg } = resolveTimeoutOptions(where, raw, this.options.defaults?.timeout);
    this.registry.attach('timeout', label, label);
    return { ms, signalArg, onTimeout: (error) => this.registry.emit({ type: 'timeout', kind: 'timeout', policy: label, method: label, error }) };
  }

  /** The bulkhead of `method`, or of the policy it `shared` (created on first use). */
  bulkhead(where: string, raw: Partial<BulkheadOptions>, method: string, shared?: string): Part<'bulkhead'> {
    const resolved = resolveBulkheadOptions(where, raw as BulkheadOptions, this.options.defaults?.bulkhead);
    const name = shared ?? method;
    const { entry, created } = this.registry.attach('bulkhead', name, method);
    if (created) {
      const event = { type: 'rejection', kind: 'bulkhead', policy: name, method: shared === undefined ? method : undefined } as const;
      entry.bulkhead = new BulkheadGate(name, resolved, () => this.registry.emit(event));
    }
    return entry.bulkhead!;
  }
}
