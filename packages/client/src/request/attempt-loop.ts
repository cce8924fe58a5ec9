import type { Endpoint } from '../balancer/endpoint.js';
import { runFirstAttemptDirect } from '../resilience/first-attempt.js';
import { AttemptFailure, InstanceRejection, UpstreamStatusError, isAttemptTimeout } from './attempt-outcome.js';
import { awaitInstances } from './await-instances.js';
import type { CallDeadline } from './call-deadline.js';
import { toCallError } from './call-errors.js';
import { deferInstance, retryDelay } from './retry-target.js';
import type { ServiceRuntime } from './service-runtime.js';

/** @internal What one attempt's outcome means to the loop (an answer's or a failure's). */
export interface AttemptVerdict {
  /** It counts against the instance (outlier detection). */
  readonly failure: boolean;
  /** Another attempt is wanted: a failed attempt, or an answer with a retryable status (5xx, 408, 429). */
  readonly retry: boolean;
  /** Nothing reached the instance's handler (a refused connection, a queued attempt, a refusal): it may go anywhere. */
  readonly notSent?: boolean;
  /** The instance refused the call without handling it (TCP: its circuit open, its bulkhead full). */
  readonly refusal?: boolean;
  /** How long the instance asked to get no new calls: a `Retry-After` header value, or ms. */
  readonly wait?: string | string[] | number;
}

/** @internal An answer that needs nothing more: counted as a success, returned. */
export const ANSWERED: AttemptVerdict = { failure: false, retry: false };

/**
 * @internal What a transport (HTTP, TCP) supplies to the attempt loop: how to send one attempt, and what its
 * outcome means. The loop does the rest, the same for both: the pick of an instance (another one per retry),
 * in-flight counts, latency, failures and ejection, the instance's asked waits, the retry decision, the errors.
 */
export interface AttemptTransport<C, A, R> {
  /** The key of the call, for strategies that hash it (`consistent-hash`). */
  readonly key: string | undefined;
  /**
   * Sends attempt `attempt` over `connection`; `retriesLeft`: whether a retry could follow this attempt (if not,
   * nothing needs to be kept for one).
   */
  send(connection: C, attempt: number, retriesLeft: boolean): Promise<A>;
  /** The call's result from an attempt's answer, on `instance` (cheap: it is the hot path). */
  result(answer: A, endpoint: Endpoint<C>, attempt: number): R;
  /** What an answer means ({@link ANSWERED} for a plain success). */
  judge(result: R): AttemptVerdict;
  /** What a failed attempt means; `undefined`: the remote's own answer, not the instance's failure, passed on as it is. */
  judgeFailure(error: unknown): AttemptVerdict | undefined;
  /** Whether the call may be sent again: `notSent`, nothing of this attempt reached the instance. */
  resendable(notSent: boolean): boolean;
}

/**
 * @internal One call of a service, whatever its transport: attempts through the service's resilience policy
 * (its first attempt outside the retry layer when the policy offers it), each on an instance the strategy picks
 * (another than those this call tried, unless the service has only one), all within `deadline`. An answer the
 * transport judges retryable and that is not retried after all is the call's result; an instance's refusal
 * that is not retried reaches the caller as the remote sent it; every other failure becomes one of the
 * package's errors ({@link toCallError}).
 */
export async function runAttempts<C, A, R>(runtime: ServiceRuntime<C>, transport: AttemptTransport<C, A, R>, deadline: CallDeadline, callerSignal: AbortSignal | undefined): Promise<R> {
  const { options, balancer, policy } = runtime;
  const maxAttempts = options.retry === false ? 1 : (options.retry.maxAttempts ?? 1);
  const tried = new Set<Endpoint<C>>();
  let attempts = 0;
  let last: Endpoint<C> | undefined;

  /** How long the retry of attempt `attempt` waits for its instance (0: the backoff alone); `undefined`: no retry. */
  const retryWait = (attempt: number, notSent: boolean, now: number): number | undefined =>
    attempt < maxAttempts && transport.resendable(notSent) ? retryDelay(balancer, tried, options, deadline.at, now) : undefined;

  const attempt = async ({ attempt }: { attempt: number }): Promise<R> => {
    attempts = attempt;
    const endpoint = balancer.pick(transport.key, tried);
    if (endpoint === undefined) throw new AttemptFailure(new Error('no other instance left to try'), last!.instance, false);
    tried.add(endpoint);
    last = endpoint;
    endpoint.inFlight++;
    const sentAt = performance.now();
    let answer: A;
    try {
      answer = await transport.send(endpoint.connection, attempt, attempt < maxAttempts);
    } catch (error) {
      endpoint.inFlight--;
      // The deadline or the caller ended it: not the instance's fault, and no retry.
      if (deadline.aborted) throw error;
      const verdict = transport.judgeFailure(error);
      if (verdict === undefined) throw error;
      const now = performance.now();
      if (isAttemptTimeout(error)) endpoint.observe(now - sentAt, now);
      if (verdict.wait !== undefined) deferInstance(balancer, endpoint, verdict.wait, now);
      if (verdict.failure) balancer.onFailure(endpoint, now);
      const wait = verdict.retry ? retryWait(attempt, verdict.notSent === true, now) : undefined;
      throw new (verdict.refusal === true ? InstanceRejection : AttemptFailure)(error, endpoint.instance, wait !== undefined, wait);
    }
    endpoint.inFlight--;
    const now = performance.now();
    endpoint.observe(now - sentAt, now);
    const result = transport.result(answer, endpoint, attempt);
    const verdict = transport.judge(result);
    if (verdict.failure) balancer.onFailure(endpoint, now);
    else balancer.onSuccess(endpoint, now);
    if (!verdict.retry) return result;
    // Its Retry-After is that instance's: no new calls to it until then, while a retry goes elsewhere at once.
    deferInstance(balancer, endpoint, verdict.wait, now);
    const wait = retryWait(attempt, false, now);
    throw new UpstreamStatusError(result as never, wait !== undefined, wait);
  };

  try {
    if (!balancer.isReady) await awaitInstances(runtime, deadline);
    runtime.budget?.recordRequest();
    return await runFirstAttemptDirect(policy, attempt, deadline);
  } catch (error) {
    if (error instanceof UpstreamStatusError) return error.response as R;
    // An instance's refusal that was not retried reaches the caller as the remote sent it.
    if (error instanceof InstanceRejection && !callerSignal?.aborted) throw error.cause;
    throw toCallError(error, {
      serviceName: options.serviceName,
      attempts,
      instanceId: last?.instance.id,
      deadline: deadline.ms,
      attemptTimeout: options.attemptTimeout,
      deadlineExpired: deadline.expired(),
      callerSignal,
    });
  } finally {
    deadline.clear();
  }
}
