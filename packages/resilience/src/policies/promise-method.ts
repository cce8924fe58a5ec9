import type { FallbackMetadata } from '../decorators/fallback.decorator.js';
import { unwrapError } from './error-classification.js';
import { callerSignal, fallbackValue, invokerFor, plainInvokerFor, type AnyMethod, type MethodPlan } from './method-invoker.js';

/**
 * @internal The replacement of a Promise or plain-value method: it returns a Promise. An Observable returned by
 * a method not declared `: Observable<T>` is awaited (last value), and `onObservable` is told once.
 */
export function promiseMethod(plan: MethodPlan, original: AnyMethod, onObservable: () => void): AnyMethod {
  const { runner, plainRunner, fallback } = plan;
  if (runner === undefined) {
    // Only @Fallback: no policy, no cockatiel.
    const callOf = plainInvokerFor(original, onObservable);
    return withFallback(fallback, (self, args) => {
      try {
        return Promise.resolve(callOf(self, args)());
      } catch (error) {
        return Promise.reject(unwrapError(error));
      }
    });
  }
  if (plainRunner !== undefined && plan.signal === undefined) {
    // No signal can exist (no @Timeout): hand cockatiel the call itself, one closure per call.
    const callOf = plainInvokerFor(original, onObservable);
    return withFallback(fallback, (self, args) => plainRunner(callOf(self, args)));
  }
  const invokerOf = invokerFor(plan, original, onObservable);
  const outerSignal = plan.signal?.signalArg === undefined ? () => undefined : (args: unknown[]) => callerSignal(plan, args);
  return withFallback(fallback, (self, args) => runner(invokerOf(self, args), outerSignal(args), 1));
}

/** `run` as a method; with a fallback, its rejections become the fallback's result. */
function withFallback(fallback: FallbackMetadata | undefined, run: (self: unknown, args: unknown[]) => unknown): AnyMethod {
  if (fallback === undefined) {
    return function (this: unknown, ...args: unknown[]) {
      return run(this, args);
    };
  }
  return function (this: unknown, ...args: unknown[]) {
    return (run(this, args) as Promise<unknown>).catch((error: unknown) => fallbackValue(fallback, error, this, args));
  };
}
