/** What {@link untilAborted} needs of a signal: an `AbortSignal`, or any target with its `aborted`, `reason` and abort listeners. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * Settles like `work`, unless `signal` aborts first: then rejects at once with `abortError()` (default: the
 * signal's reason). A later settlement of `work` is absorbed (never an unhandled rejection), and the abort
 * listener never outlives the race. @internal
 *
 * @example
 * await untilAborted(balancer.ready(), deadline.signal);
 * await untilAborted(run, signal, () => new TaskCancelledError('Call cancelled by the caller'));
 */
export function untilAborted<T>(work: PromiseLike<T>, signal: AbortLike, abortError: () => unknown = () => signal.reason): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    const settle = (then: () => void) => {
      signal.removeEventListener('abort', onAbort);
      then();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

/** The part of an rxjs `Observable` that {@link lastValueUntilAborted} uses (this package depends on nothing). */
export interface SubscribableLike<T> {
  subscribe(observer: { next(value: T): void; error(error: unknown): void; complete(): void }): { unsubscribe(): void; readonly closed: boolean };
}

/**
 * The last value `source` emits before it completes, unless `signal` aborts first: then `source` is unsubscribed
 * and the promise rejects at once with `abortError()` (default: the signal's reason). Nothing is subscribed when
 * `signal` has already aborted. @internal
 *
 * @example
 * const values = await lastValueUntilAborted(client.send(pattern, data).pipe(toArray()), deadline.signal);
 */
export function lastValueUntilAborted<T>(source: SubscribableLike<T>, signal: AbortLike, abortError: () => unknown = () => signal.reason): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    let last: T;
    const onAbort = () => {
      subscription.unsubscribe();
      reject(abortError());
    };
    const subscription = source.subscribe({
      next: (value) => (last = value),
      error: (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
      complete: () => {
        signal.removeEventListener('abort', onAbort);
        resolve(last);
      },
    });
    if (!subscription.closed) signal.addEventListener('abort', onAbort);
  });
}
