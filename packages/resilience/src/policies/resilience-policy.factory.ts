import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { untilAborted } from '@nestmesh/common';
import { TaskCancelledError } from 'cockatiel';
import { invalidPolicyNameMessage } from '../errors/messages.constants.js';
import { ResilienceConfigurationError } from '../errors/resilience-configuration.error.js';
import type { ResilienceModuleOptions, ResiliencePolicyOptions } from '../interfaces/resilience-module-options.interface.js';
import type { ResiliencePolicy, ResiliencePolicyContext, ResiliencePolicyHooks } from '../interfaces/resilience-policy.interface.js';
import { RESILIENCE_MODULE_OPTIONS } from '../resilience.module-definition.js';
import { ResilienceRegistry } from '../resilience.registry.js';
import { POLICY_OPTION_KEYS, knownKeys, namedPolicy, validateModuleOptions } from './options.resolver.js';
import { PolicyPartsBuilder } from './policy-parts.builder.js';
import { buildRunner, direct, type Runner, type StackParts } from './policy-stack.js';
import type { RetryExecutor } from './retry.executor.js';

/**
 * Builds the policies of named targets (a service, a route) for code that is not a decorated method, such as an
 * HTTP client. Provided by `ResilienceModule` (with the app's options, its breakers and bulkheads in the app's
 * `ResilienceRegistry`), or standalone: `new ResiliencePolicyFactory(moduleOptions?)`. A section given enables
 * that policy (`{ circuitBreaker: {} }` is a breaker with defaults) over the module's `defaults`; breakers and
 * bulkheads are shared per target name.
 *
 * @example
 * constructor(private readonly policies: ResiliencePolicyFactory) {}
 * private readonly orders = this.policies.create('orders', { circuitBreaker: { consecutiveFailures: 3 }, timeout: { ms: 2_000 } });
 * find(id: string) { return this.orders.execute(({ signal }) => fetch(`${base}/orders/${id}`, { signal })); }
 */
@Injectable()
export class ResiliencePolicyFactory implements OnApplicationShutdown {
  private readonly builder: PolicyPartsBuilder;
  /** Set when the app closes: retries start no further attempt (as `@Retry`'s). */
  private closed = false;

  constructor(
    @Optional() @Inject(RESILIENCE_MODULE_OPTIONS) options?: ResilienceModuleOptions,
    @Optional() registry?: ResilienceRegistry,
  ) {
    const moduleOptions = options ?? {};
    if (registry === undefined) validateModuleOptions(moduleOptions);
    this.builder = new PolicyPartsBuilder(moduleOptions, registry ?? new ResilienceRegistry(moduleOptions), () => this.closed);
  }

  /** The app closed (or, standalone, its owner did): a retry waiting out its backoff starts no further attempt. */
  onApplicationShutdown(): void {
    this.closed = true;
  }

  /**
   * The policies of target `name`: `options` in the package's option shapes, or the name of one of the module's
   * `policies`. Throws `ResilienceConfigurationError` (naming `name`) on bad options.
   */
  create(name: string, options: ResiliencePolicyOptions | string = {}, hooks: ResiliencePolicyHooks = {}): ResiliencePolicy {
    if (typeof name !== 'string' || name.trim() === '') throw new ResilienceConfigurationError(invalidPolicyNameMessage(name));
    const where = `ResiliencePolicyFactory.create(${JSON.stringify(name)}${typeof options === 'string' ? `, ${JSON.stringify(options)}` : ''})`;
    const sections =
      typeof options === 'string'
        ? namedPolicy(this.builder.options, where, options)
        : (knownKeys(where, options, POLICY_OPTION_KEYS.sections, "{ circuitBreaker: { consecutiveFailures: 5 }, timeout: { ms: 2000 } }") as ResiliencePolicyOptions);
    const { builder } = this;
    const parts: { -readonly [K in keyof StackParts]: StackParts[K] } = { method: name };
    if (sections.circuitBreaker !== undefined) parts.breaker = builder.circuitBreaker(`${where} circuitBreaker`, sections.circuitBreaker, name);
    if (sections.retry !== undefined) parts.retry = builder.retry(`${where} retry`, sections.retry, name, hooks.shouldRetry);
    if (sections.timeout !== undefined) parts.timeout = builder.timeout(`${where} timeout`, sections.timeout, name);
    if (sections.bulkhead !== undefined) parts.bulkhead = builder.bulkhead(`${where} bulkhead`, sections.bulkhead, name);
    const runner = buildRunner(parts);
    return {
      name,
      retry: parts.retry && { maxAttempts: parts.retry.options.maxAttempts, maxDelay: parts.retry.options.maxDelay },
      timeout: parts.timeout?.ms,
      execute: (fn, signal) => executeStack(runner, fn, signal),
      executeFirstAttemptDirect:
        parts.timeout === undefined ? firstAttemptDirect(buildRunner({ ...parts, retry: undefined }), parts.retry, parts.bulkhead !== undefined) : undefined,
    };
  }
}

/** `ResiliencePolicy.execute()` of a composed stack. */
function executeStack<T>(runner: Runner, fn: (context: ResiliencePolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) return Promise.reject(new TaskCancelledError('Call cancelled by the caller before it started'));
  let result: Promise<T>;
  try {
    result = Promise.resolve(runner((attemptSignal, attempt) => fn({ signal: attemptSignal, attempt }), signal, 1) as T | PromiseLike<T>);
  } catch (error) {
    return Promise.reject(error);
  }
  return signal === undefined ? result : untilAborted(result, signal, () => new TaskCancelledError('Call cancelled by the caller'));
}

/**
 * `executeFirstAttemptDirect` (see its doc) of a stack without a timeout: attempt 1 through `below`, the stack under
 * the retry. A healthy call costs its attempt's promise and, with a retry, one rejection handler. `queued`: the stack
 * has a bulkhead, whose queue the call may wait in: attempt 1 gets the call's signal, so a deadline or a cancellation
 * takes it out of the queue.
 */
function firstAttemptDirect(below: Runner, retry: RetryExecutor | undefined, queued: boolean): NonNullable<ResiliencePolicy['executeFirstAttemptDirect']> {
  const retried = <T>(fn: (context: ResiliencePolicyContext) => PromiseLike<T> | T, signalOf: () => AbortSignal | undefined, first: unknown): Promise<T> => {
    if (retry === undefined) return Promise.reject(first);
    const invoke = (attemptSignal: AbortSignal | undefined, attempt: number) => fn({ signal: attemptSignal, attempt });
    return retry.execute((attemptSignal, attempt) => (attempt === 1 ? Promise.reject(first) : (below(invoke, attemptSignal, attempt) as T | PromiseLike<T>)), signalOf());
  };
  return <T>(fn: (context: ResiliencePolicyContext) => PromiseLike<T> | T, signalOf: () => AbortSignal | undefined): Promise<T> => {
    let first: PromiseLike<T> | T;
    try {
      first = (below === direct ? fn({ signal: undefined, attempt: 1 }) : below((attemptSignal, attempt) => fn({ signal: attemptSignal, attempt }), queued ? signalOf() : undefined, 1)) as PromiseLike<T> | T;
    } catch (error) {
      return retried(fn, signalOf, error);
    }
    return retry === undefined ? Promise.resolve(first) : Promise.resolve(first).then(undefined, (error: unknown) => retried(fn, signalOf, error));
  };
}
