import { untilAborted } from '@nestmesh/common';
import { TaskCancelledError, handleWhen, retry, type IBackoff, type IBackoffFactory, type IRetryBackoffContext, type IRetryContext, type RetryPolicy } from 'cockatiel';
import type { ResilienceEvent } from '../interfaces/resilience-event.interface.js';
import { retryAfterOf, retryFilter } from './error-classification.js';
import type { ResolvedRetryOptions } from './options.resolver.js';

type BackoffContext = IRetryBackoffContext<unknown>;

/**
 * @internal cockatiel backoff of `@Retry`: exponential (`initialDelay * exponent^n`, capped at `maxDelay`), a
 * `jitter` fraction of each delay randomised, then raised to the error's `retryAfter` hint, still capped at
 * `maxDelay`.
 */
export class RetryBackoff implements IBackoffFactory<BackoffContext> {
  constructor(private readonly options: ResolvedRetryOptions) {}

  next(context: BackoffContext): IBackoff<BackoffContext> {
    return this.step(0, context);
  }

  private step(retry: number, context: BackoffContext): IBackoff<BackoffContext> {
    const { initialDelay, maxDelay, exponent, jitter } = this.options;
    const base = Math.min(maxDelay, initialDelay * exponent ** retry);
    let duration = jitter === 0 ? base : base * (1 - jitter * Math.random());
    const hint = 'error' in context.result ? retryAfterOf(context.result.error) : undefined;
    if (hint !== undefined) duration = Math.max(duration, hint);
    duration = Math.min(maxDelay, Math.round(duration));
    return { duration, next: (nextContext) => this.step(retry + 1, nextContext) };
  }
}

/** Carries an error whose retry the veto refused through cockatiel, which does not retry it. */
class Vetoed {
  constructor(readonly error: unknown) {}
}

const unbox = (error: unknown): never => {
  throw error instanceof Vetoed ? error.error : error;
};

const cancelledByClose = (): never => {
  throw new TaskCancelledError('The app closed during the retry backoff: no further attempt was started');
};

/**
 * @internal The retries of `@Retry` and of `ResiliencePolicy`: cockatiel's `RetryPolicy` with {@link RetryBackoff}
 * and the `retryOn` filter, an optional `veto` that also sees the attempt number (`shouldRetry` hook), and what
 * cockatiel lacks for a cancellable call: cockatiel waits out a backoff with a timer the caller's signal does not
 * end, then calls again; here the caller settles at once when its signal aborts, and an attempt whose signal
 * aborted throws a `TaskCancelledError` instead of starting.
 *
 * Calls that carry a signal use a copy of the policy whose backoff timer is unref'd, so the timer that cockatiel
 * leaves running after a cancellation does not hold the process. Calls without a signal cannot be cancelled:
 * their timer stays referenced, so a script awaiting a retried call does not exit during the backoff.
 */
export class RetryExecutor {
  private readonly policy: RetryPolicy;
  /** The same policy with an unref'd backoff timer, for calls that carry a signal. */
  private readonly cancellablePolicy: RetryPolicy;
  private readonly retryable: (error: unknown) => boolean;

  constructor(
    readonly options: ResolvedRetryOptions,
    private readonly veto: ((error: unknown, attempt: number) => boolean) | undefined,
    onRetry: (notice: Pick<ResilienceEvent, 'attempt' | 'delay' | 'error'>) => void,
    /** True once the app that owns these retries closed: no attempt starts after that. */
    private readonly closed: () => boolean = () => false,
  ) {
    this.retryable = retryFilter(options.retryOn);
    const handler = handleWhen(veto === undefined ? this.retryable : (error) => !(error instanceof Vetoed) && this.retryable(error));
    // cockatiel's maxAttempts counts retries; ours counts attempts.
    this.policy = retry(handler, { maxAttempts: options.maxAttempts - 1, backoff: new RetryBackoff(options) });
    this.cancellablePolicy = this.policy.dangerouslyUnref();
    for (const policy of [this.policy, this.cancellablePolicy]) {
      // cockatiel numbers the retry (1 = first retry); the notice names the attempt about to run.
      policy.onRetry((event) => onRetry({ attempt: event.attempt + 1, delay: event.delay, error: 'error' in event ? event.error : undefined }));
    }
  }

  /** Runs `call` (no signal, no attempt number needed) with retries: the hot path, straight into cockatiel. */
  executePlain<T>(call: () => T | PromiseLike<T>): Promise<T> {
    if (this.veto !== undefined) return this.execute(call);
    return this.policy.execute((context) => (context.attempt > 0 && this.closed() ? cancelledByClose() : call()));
  }

  /** Runs `fn` (attempts numbered from 1) until it succeeds, an error is not retryable or attempts run out. */
  execute<T>(fn: (signal: AbortSignal | undefined, attempt: number) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    const policy = signal === undefined ? this.policy : this.cancellablePolicy;
    const attemptOf = (context: IRetryContext): T | PromiseLike<T> => {
      if (signal?.aborted) throw new TaskCancelledError('Call cancelled during the retry backoff: no further attempt was started');
      if (context.attempt > 0 && this.closed()) cancelledByClose();
      return fn(signal, context.attempt + 1);
    };
    const run =
      this.veto === undefined
        ? policy.execute(attemptOf, signal)
        : policy.execute((context) => this.vetoing(() => attemptOf(context), context.attempt + 1, signal), signal).catch(unbox);
    if (signal === undefined) return run;
    return untilAborted(run, signal, () => new TaskCancelledError('Call cancelled by the caller: no further attempt is started'));
  }

  /**
   * Runs one attempt; a retryable error that the veto refuses comes out boxed, so cockatiel does not retry it.
   * The veto is asked only when a retry could follow (not after the last attempt, nor once `signal` aborted).
   */
  private async vetoing<T>(attempt: () => T | PromiseLike<T>, number: number, signal?: AbortSignal): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (number < this.options.maxAttempts && !signal?.aborted && this.retryable(error) && !this.veto!(error, number)) throw new Vetoed(error);
      throw error;
    }
  }
}
