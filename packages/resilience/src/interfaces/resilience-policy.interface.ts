/** What a {@link ResiliencePolicy} passes to the function it runs. */
export interface ResiliencePolicyContext {
  /** The attempt's signal: aborted at its deadline or when the caller's signal aborts. `undefined` when nothing can abort it. */
  readonly signal: AbortSignal | undefined;
  /** Number of the attempt, from 1. */
  readonly attempt: number;
}

/** Extra decisions of one policy, given to `ResiliencePolicyFactory.create()`. */
export interface ResiliencePolicyHooks {
  /**
   * Extra veto on retrying an error (a retry budget, a non-idempotent request...), asked after the retry
   * options' own `retryOn` allowed it. `attempt` is the number of the attempt that failed, from 1.
   * Default: always allow.
   */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
}

/**
 * The policies of one named target (a service, a route), from `ResiliencePolicyFactory.create()`.
 *
 * @example
 * const policy = factory.create('orders', { circuitBreaker: { consecutiveFailures: 3 }, retry: { maxAttempts: 2 }, timeout: { ms: 2_000 } });
 * const order = await policy.execute(({ signal }) => fetch(url, { signal }).then((res) => res.json()));
 */
export interface ResiliencePolicy {
  /** The target's name: registry name of its breaker and bulkhead. */
  readonly name: string;
  /** Its retry as resolved (the module's `defaults.retry` under the section): attempts, the first included, and the longest wait (ms). */
  readonly retry?: { readonly maxAttempts: number; readonly maxDelay: number };
  /** Its per-attempt timeout in ms, if it has one. */
  readonly timeout?: number;
  /**
   * Runs `fn` through Retry( CircuitBreaker( Timeout( Bulkhead( fn )))), with the decorators' semantics: the same
   * error classification, `retryAfter` hints honoured, open circuits never retried, and the caller's `signal`
   * cancelling everything at once (a waiting retry or a queued call included).
   */
  execute<T>(fn: (context: ResiliencePolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;
  /**
   * `execute()` for callers that bound each attempt themselves (an HTTP client with its own deadline): the first
   * attempt runs through the breaker and bulkhead with no signal (with a bulkhead, `signal()`: a call waiting in its
   * queue leaves it when that aborts), so a call that succeeds at once costs no `AbortSignal` and no retry layer.
   * Only when it fails is `signal()` asked for, and the retry runs with that
   * failure as its attempt 1: the same retries, backoff, veto, events and breaker counts as `execute()`. Absent on
   * a policy with a `timeout`, whose every attempt needs a signal: use `execute()` there.
   */
  readonly executeFirstAttemptDirect?: <T>(fn: (context: ResiliencePolicyContext) => PromiseLike<T> | T, signal: () => AbortSignal | undefined) => Promise<T>;
}
