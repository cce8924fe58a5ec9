import { Observable, isObservable, type Subscription } from 'rxjs';
import { AfterEmissionFailure, UNSUBSCRIBED, unwrapError } from './error-classification.js';
import { callerSignal, fallbackValue, invokerFor, type AnyMethod, type MethodPlan } from './method-invoker.js';
import type { Invoke } from './policy-stack.js';

/**
 * @internal The replacement of a method returning an Observable (such as `ClientProxy.send()`): a cold Observable
 * running the policies per subscription. Each attempt calls the method and subscribes to its result; values are
 * forwarded as they arrive, except with `@Retry`, where each attempt's values wait until it completes (none is
 * emitted twice). An attempt whose signal aborts (unsubscription, timeout) is unsubscribed and settles at once,
 * so a `@Bulkhead` slot is held exactly as long as the subscription.
 */
export function observableMethod(plan: MethodPlan, original: AnyMethod): AnyMethod {
  const { runner, fallback, cancellable, bufferAttempts } = plan;
  const invokerOf = invokerFor(plan, original);

  return function (this: unknown, ...args: unknown[]) {
    return new Observable<unknown>((subscriber) => {
      const controller = cancellable ? new AbortController() : undefined;
      let inner: Subscription | undefined;
      let done = false;
      // Set once an attempt forwarded a value: the upstream answered, so a caller leaving then ends that attempt as a
      // success (the breaker must not see an answered half-open probe as cancelled), never aborts it.
      let answered: (() => void) | undefined;
      const call = invokerOf(this, args);

      const attempt: Invoke = (signal) =>
        new Promise<unknown[] | undefined>((resolve, reject) => {
          if (subscriber.closed) return reject(UNSUBSCRIBED);
          const source = call(signal, 1);
          if (!isObservable(source)) {
            Promise.resolve(source).then((value) => resolve([value]), reject);
            return;
          }
          const values: unknown[] | undefined = bufferAttempts ? [] : undefined;
          let emitted = false;
          // Settling the attempt is what gives its bulkhead slot back: an unsubscribed Observable is over, and a
          // never-completing one would otherwise hold the slot forever (the next calls all rejected as full).
          const onAbort = () => {
            subscription.unsubscribe();
            reject(UNSUBSCRIBED);
          };
          const cleanup = () => signal?.removeEventListener('abort', onAbort);
          const subscription = source.subscribe({
            next: (value) => {
              if (values) values.push(value);
              else {
                emitted = true;
                answered ??= () => {
                  cleanup();
                  resolve(undefined);
                };
                subscriber.next(value);
              }
            },
            error: (error: unknown) => {
              cleanup();
              reject(emitted ? new AfterEmissionFailure(error) : error);
            },
            complete: () => {
              cleanup();
              resolve(values);
            },
          });
          inner = subscription;
          if (subscriber.closed) subscription.unsubscribe(); // left during a synchronous emission
          else if (signal && !subscription.closed) signal.addEventListener('abort', onAbort, { once: true });
        });

      const emitAll = (values: unknown) => {
        if (Array.isArray(values)) for (const value of values) subscriber.next(value);
        done = true;
        subscriber.complete();
      };
      const fromCaller = callerSignal(plan, args);
      const signal = fromCaller && controller ? AbortSignal.any([fromCaller, controller.signal]) : (fromCaller ?? controller?.signal);
      const outcome = runner(attempt, signal, 1);
      Promise.resolve(outcome).then(emitAll, (error: unknown) => {
        if (subscriber.closed) return;
        if (!fallback) {
          done = true;
          return subscriber.error(unwrapError(error));
        }
        let value: unknown;
        try {
          value = fallbackValue(fallback, error, this, args);
        } catch (fallbackError) {
          done = true;
          return subscriber.error(fallbackError);
        }
        if (isObservable(value)) inner = value.subscribe(subscriber);
        else Promise.resolve(value).then((resolved) => emitAll([resolved]), (fallbackError: unknown) => subscriber.error(fallbackError));
      });

      return () => {
        if (!done) (answered ?? (() => controller?.abort()))();
        inner?.unsubscribe();
      };
    });
  };
}
