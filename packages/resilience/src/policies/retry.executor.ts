import { TaskCancelledError, type IBackoff, type IRetryBackoffContext } from 'cockatiel';
import type { ResolvedRetryOptions } from './resolved-options.interface.js';
import { RetryBackoff } from './retry-backoff.js';

/** @internal What a retry executor reports before each retry. */
export interface RetryNotice {
  /** Number of the attempt about to run (2 = first retry). */
  readonly attempt: number;
  readonly delay: number;
  readonly error: unknown;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * @internal The retry loop of `@Retry` and of `ResiliencePolicy`: cockatiel's backoff (`RetryBackoff`), and a
 * backoff that the caller's signal ends at once: an aborted call settles immediately and starts no attempt.
 * (cockatiel's `RetryPolicy` waits out its delay with an unabortable timer, then starts the next attempt.)
 */
export class RetryExecutor {
  private readonly backoff: RetryBackoff;

  constructor(
    private readonly options: ResolvedRetryOptions,
    /** Whether an error of attempt `attempt` may be retried. */
    private readonly retryable: (error: unknown, attempt: number) => boolean,
    private readonly onRetry: (notice: RetryNotice) => void,
  ) {
    this.backoff = new RetryBackoff(options);
  }

  /** Runs `fn` (attempts numbered from 1) until it succeeds, an error is not retryable or attempts run out. */
  async execute<T>(fn: (signal: AbortSignal | undefined, attempt: number) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    let backoff: IBackoff<IRetryBackoffContext<unknown>> | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(signal, attempt);
      } catch (error) {
        if (attempt >= this.options.maxAttempts || signal?.aborted || !this.retryable(error, attempt)) throw error;
        const context = { attempt, signal: signal ?? NEVER_ABORTED, result: { error } };
        backoff = backoff === undefined ? this.backoff.next(context) : backoff.next(context);
        this.onRetry({ attempt: attempt + 1, delay: backoff.duration, error });
        await pause(backoff.duration, signal);
      }
    }
  }
}

/** Waits `ms`, or rejects with a `TaskCancelledError` as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal === undefined) {
      setTimeout(resolve, ms);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TaskCancelledError('Call cancelled during the retry backoff: no further attempt was started'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
