import { TaskCancelledError } from 'cockatiel';

/**
 * @internal Settles with `promise`, or at once with a `TaskCancelledError` (saying `message`) when `signal` aborts
 * first. A later settlement of `promise` is absorbed, so it never surfaces as an unhandled rejection.
 */
export function settleOnAbort<T>(promise: Promise<T>, signal: AbortSignal, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TaskCancelledError(message));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
