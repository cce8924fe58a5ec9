import { unwrapError } from './error-classification.js';
import { callerSignal, fallbackValue, invokerFor, plainInvokerFor, type AnyMethod, type MethodPlan } from './method-invoker.js';

/**
 * @internal The replacement of a Promise or plain-value method: it returns a Promise. An Observable returned by
 * a method not declared `: Observable<T>` is awaited (last value), and `onObservable` is told once.
 */
export function promiseMethod(plan: MethodPlan, original: AnyMethod, onObservable: () => void): AnyMethod {
  const { runner, fallback } = plan;
  const invokerOf = invokerFor(plan, original, onObservable);
  const outerSignal = plan.signal?.signalArg === undefined ? () => undefined : (args: unknown[]) => callerSignal(plan, args);

  if (runner === undefined) {
    // Only @Fallback: no policy, no cockatiel.
    return function (this: unknown, ...args: unknown[]) {
      let result: Promise<unknown>;
      try {
        result = Promise.resolve(invokerOf(this, args)(undefined, 1));
      } catch (error) {
        result = Promise.reject(unwrapError(error));
      }
      return fallback ? result.catch((error: unknown) => fallbackValue(fallback, error, this, args)) : result;
    };
  }
  const { plainRunner } = plan;
  if (plainRunner !== undefined && plan.signal === undefined) {
    // No signal can exist (no @Timeout): hand cockatiel the call itself, one closure per call.
    const callOf = plainInvokerFor(original, onObservable);
    if (fallback === undefined) {
      return function (this: unknown, ...args: unknown[]) {
        return plainRunner(callOf(this, args));
      };
    }
    return function (this: unknown, ...args: unknown[]) {
      return (plainRunner(callOf(this, args)) as Promise<unknown>).catch((error: unknown) => fallbackValue(fallback, error, this, args));
    };
  }
  if (fallback === undefined) {
    return function (this: unknown, ...args: unknown[]) {
      return runner(invokerOf(this, args), outerSignal(args), 1);
    };
  }
  return function (this: unknown, ...args: unknown[]) {
    return (runner(invokerOf(this, args), outerSignal(args), 1) as Promise<unknown>).catch((error: unknown) =>
      fallbackValue(fallback, error, this, args),
    );
  };
}
