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
