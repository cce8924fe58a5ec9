import { untilAborted } from '@nestmesh/common';
import { TaskCancelledError, handleWhen, retry, type IRetryContext, type RetryPolicy } from 'cockatiel';
import type { ResolvedRetryOptions } from './options.resolver.js';
import { RetryBackoff } from './retry-backoff.js';

/** @internal What a retry executor reports before each retry. */
export interface RetryNotice {
  /** Number of the attempt about to run (2 = first retry). */
  readonly attempt: number;
  readonly delay: number;
  readonly error: unknown;
}

/** @internal Which errors of which attempt (numbered from 1) may be retried. */
export interface RetryDecision {
  /** The error filter (`retryOn` and the package's rules). */
  readonly retryable: (error: unknown) => boolean;
  /** An extra veto that also needs the attempt number (`ResiliencePolicyHooks.shouldRetry`). */
  readonly veto?: (error: unknown, attempt: number) => boolean;
}

/** Carries an error whose retry the veto refused through cockatiel, which does not retry it. */
class Vetoed {
  constructor(readonly error: unknown) {}
}

const unbox = (error: unknown): never => {
  throw error instanceof Vetoed ? error.error : error;
};

/**
 * @internal The retries of `@Retry` and of `ResiliencePolicy`: cockatiel's `RetryPolicy` with this package's
 * backoff (`RetryBackoff`), plus what cockatiel lacks for a cancellable call. cockatiel waits out a backoff
 * with a timer that the caller's signal does not end, then calls the function again; so here the caller
 * settles at once when its signal aborts, and every attempt checks the signal first and throws a
 * `TaskCancelledError` instead of starting (cockatiel does not retry once the signal aborted).
 *
 * Calls that carry a signal use a copy of the policy whose backoff timer is unref'd, so the timer that cockatiel
 * leaves running after a cancellation does not hold the process. Calls without a signal cannot be cancelled:
 * their timer stays referenced, so a script awaiting a retried call does not exit during the backoff.
 */
export class RetryExecutor {
  private readonly policy: RetryPolicy;
  /** The same policy with an unref'd backoff timer, for calls that carry a signal. */
  private readonly cancellablePolicy: RetryPolicy;

  constructor(
    private readonly options: ResolvedRetryOptions,
    private readonly decision: RetryDecision,
    onRetry: (notice: RetryNotice) => void,
  ) {
    const { retryable, veto } = decision;
    const handler = handleWhen(veto === undefined ? retryable : (error) => !(error instanceof Vetoed) && retryable(error));
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
    if (this.decision.veto === undefined) return this.policy.execute(call);
    return this.policy.execute((context) => this.vetoing(call, context.attempt + 1)).catch(unbox);
  }

  /** Runs `fn` (attempts numbered from 1) until it succeeds, an error is not retryable or attempts run out. */
  execute<T>(fn: (signal: AbortSignal | undefined, attempt: number) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    const policy = signal === undefined ? this.policy : this.cancellablePolicy;
    const attemptOf = (context: IRetryContext): T | PromiseLike<T> => {
      if (signal?.aborted) throw new TaskCancelledError('Call cancelled during the retry backoff: no further attempt was started');
      return fn(signal, context.attempt + 1);
    };
    const run =
      this.decision.veto === undefined
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
      const { retryable, veto } = this.decision;
      if (number < this.options.maxAttempts && !signal?.aborted && retryable(error) && !veto!(error, number)) throw new Vetoed(error);
      throw error;
    }
  }
}
