import type { FallbackMetadata } from '../decorators/fallback.decorator.js';
import { callerSignal, fallbackValue, invokerFor, plainInvokerFor, type AnyMethod, type MethodPlan } from './method-invoker.js';

/**
 * @internal The replacement of a Promise or plain-value method: it returns a Promise. An Observable returned by
 * a method not declared `: Observable<T>` is awaited (last value), and `onObservable` is told each time (the scope warns once).
 */
export function promiseMethod(plan: MethodPlan, original: AnyMethod, onObservable: () => void): AnyMethod {
  const { runner, plainRunner = settled, fallback } = plan;
  if (plan.signal === undefined) {
    // No signal can exist (no @Timeout): hand cockatiel the call itself, one closure per call (none without policies).
    const callOf = plainInvokerFor(original, onObservable);
    return withFallback(fallback, (self, args) => plainRunner(callOf(self, args)));
  }
  const invokerOf = invokerFor(plan, original, onObservable);
  return withFallback(fallback, (self, args) => runner(invokerOf(self, args), callerSignal(plan, args), 1));
}

/** The call as a Promise, for a method with only `@Fallback`: no policy, no cockatiel. */
function settled(call: () => unknown): Promise<unknown> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
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
