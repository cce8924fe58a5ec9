import { lastValueUntilAborted } from '@nestmesh/common';
import { TaskCancelledError } from 'cockatiel';
import { isObservable, last, lastValueFrom } from 'rxjs';
import type { FallbackMetadata } from '../decorators/fallback.decorator.js';
import { signalStorage } from '../resilience.signal.js';
import { unwrapError } from './error-classification.js';
import type { Invoke, PlainRunner, Runner } from './policy-stack.js';

/** @internal Any method. */
export type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/** @internal Everything the wrapper of one method needs, computed once at bootstrap. */
export interface MethodPlan {
  /** The composed policies (`direct`, the call itself, when only `@Fallback` applies). */
  readonly runner: Runner;
  /** The same policies for signal-free calls (no `@Timeout`): the Promise hot path. */
  readonly plainRunner?: PlainRunner;
  readonly fallback?: FallbackMetadata;
  /** Present with `@Timeout`: the method gets the attempt's signal (ALS, and `signalArg` if set). */
  readonly signal?: { readonly signalArg?: number };
  /** Observable mode: allocate an AbortController per subscription (with `@Timeout` or `@Bulkhead`). */
  readonly cancellable: boolean;
  /** Observable mode: buffer each attempt's values until it completes (with `@Retry`, so no value is emitted twice). */
  readonly bufferAttempts: boolean;
}

/**
 * @internal Builds the per-call `invoke` of the original method. With `@Timeout` the attempt's signal goes to
 * `currentSignal()` storage or, with `signalArg`, into the arguments.
 */
export function invokerFor(plan: MethodPlan, original: AnyMethod, onObservable?: () => void): (self: unknown, args: unknown[]) => Invoke {
  if (plan.signal === undefined) return plainInvokerFor(original, onObservable);
  const settle = settlerFor(onObservable);
  const { signalArg } = plan.signal;
  // A plan with a signal has a timeout layer, which hands every attempt its deadline's signal (`!` below).
  if (signalArg === undefined) {
    return (self, args) => (attemptSignal) => settle(signalStorage.run(attemptSignal!, () => original.apply(self, args)), attemptSignal);
  }
  // With signalArg the signal travels as an argument: no AsyncLocalStorage on this path.
  return (self, args) => (attemptSignal) => {
    const callArgs = args.slice();
    callArgs[signalArg] = attemptSignal;
    return settle(original.apply(self, callArgs), attemptSignal);
  };
}

/** @internal The call of the original method for plans without a signal (no `@Timeout`). */
export function plainInvokerFor(original: AnyMethod, onObservable?: () => void): (self: unknown, args: unknown[]) => () => unknown {
  if (onObservable === undefined) return (self, args) => () => original.apply(self, args);
  const settle = settlerFor(onObservable);
  return (self, args) => () => {
    const result = original.apply(self, args);
    // A Promise is by far the most common result: no further call on the hot path.
    return result instanceof Promise ? result : settle(result, undefined);
  };
}

/**
 * With `onObservable`, an Observable result is awaited (last value) and `onObservable` is told. The attempt's
 * signal unsubscribes it: the method's return type did not declare an Observable, but its subscription must not
 * outlive the attempt.
 */
function settlerFor(onObservable: (() => void) | undefined): (result: unknown, signal: AbortSignal | undefined) => unknown {
  if (onObservable === undefined) return (result) => result;
  return (result, signal) => {
    if (result instanceof Promise || !isObservable(result)) return result;
    onObservable();
    return signal === undefined ? lastValueFrom(result) : lastValueUntilAborted(result.pipe(last()), signal, () => new TaskCancelledError('Call aborted before its Observable completed'));
  };
}

/** @internal The caller's own signal, when `signalArg` names an argument holding an AbortSignal. */
export function callerSignal(plan: MethodPlan, args: readonly unknown[]): AbortSignal | undefined {
  const index = plan.signal?.signalArg;
  const value = index === undefined ? undefined : args[index];
  return value instanceof AbortSignal ? value : undefined;
}

/** @internal The fallback result for an error: the value, or the function called with the error and arguments. */
export function fallbackValue(fallback: FallbackMetadata, error: unknown, self: unknown, args: readonly unknown[]): unknown {
  const { handler } = fallback;
  return typeof handler === 'function' ? (handler as AnyMethod).call(self, unwrapError(error), ...args) : handler;
}
