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
   * nothing needs to be kept for one); `now`: `performance.now()` as the attempt starts.
   */
  send(connection: C, attempt: number, retriesLeft: boolean, now: number): Promise<A>;
  /** The call's result from an attempt's answer, on `instance` (cheap: it is the hot path). */
  result(answer: A, endpoint: Endpoint<C>, attempt: number): R;
  /** What an answer means ({@link ANSWERED} for a plain success). */
  judge(result: R): AttemptVerdict;
  /** What a failed attempt means; `undefined`: the remote's own answer, not the instance's failure, passed on as it is. */
  judgeFailure(error: unknown): AttemptVerdict | undefined;
  /** Whether the call may be sent again: `notSent`, nothing of this attempt reached the instance. */
  resendable(notSent: boolean): boolean;
  /** Called with the call's result once the loop settled on it (outside the loop: what it throws rejects the call as it is). */
  settled?(result: R): void;
}

/**
 * @internal One call of a service, whatever its transport: attempts through the service's resilience policy
 * (its first attempt outside the retry layer when the policy offers it), each on an instance the strategy picks
 * (another than those this call tried, unless the service has only one), all within `deadline`. An answer the
 * transport judges retryable and that is not retried after all is the call's result; an instance's refusal
 * that is not retried reaches the caller as the remote sent it; every other failure becomes one of the
 * package's errors ({@link toCallError}).
 */
export function runAttempts<C, A, R>(runtime: ServiceRuntime<C>, transport: AttemptTransport<C, A, R>, deadline: CallDeadline, callerSignal: AbortSignal | undefined): Promise<R> {
  return new AttemptRun(runtime, transport, deadline, callerSignal).run();
}

/**
 * The state of one call of {@link runAttempts}: one object per call, its steps methods, and the handlers its
 * promises settle through made once per call (no async frame per step: each `await` cost closures of its own).
 * Attempts never overlap (the policy starts a retry once the attempt before it settled), so the attempt under
 * way is fields of this object.
 */
class AttemptRun<C, A, R> {
  private readonly maxAttempts: number;
  /** The endpoints this call tried: made by the first retry (a healthy call, one attempt, needs no set). */
  private tried: Set<Endpoint<C>> | undefined;
  /** The number of the attempt under way (or the last one). */
  private attempts = 0;
  /** The endpoint of the attempt under way (or of the last one). */
  private last: Endpoint<C> | undefined;
  /** `performance.now()` when the attempt under way was sent. */
  private sentAt = 0;
  /** One attempt, as the resilience policy runs it. */
  private readonly attempt = (context: { attempt: number }): Promise<R> => this.send(context.attempt);
  private readonly answered = (answer: A): R => this.judged(answer);
  private readonly sendFailed = (error: unknown): never => {
    this.last!.inFlight--;
    throw this.failed(this.last!, this.attempts, this.sentAt, error);
  };
  private readonly settle = (result: R): R => {
    this.deadline.clear();
    // Outside the policy: what it throws rejects the call as it is.
    this.transport.settled?.(result);
    return result;
  };
  private readonly fail = (error: unknown): R => {
    if (error instanceof UpstreamStatusError) return this.settle(error.response as R);
    this.deadline.clear();
    throw this.callError(error);
  };

  constructor(
    private readonly runtime: ServiceRuntime<C>,
    private readonly transport: AttemptTransport<C, A, R>,
    private readonly deadline: CallDeadline,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    const { retry } = runtime.options;
    this.maxAttempts = retry === false ? 1 : (retry.maxAttempts ?? 1);
  }

  run(): Promise<R> {
    let attempts: Promise<R>;
    try {
      attempts = this.runtime.balancer.isReady ? this.attempted() : awaitInstances(this.runtime, this.deadline).then(() => this.attempted());
    } catch (error) {
      attempts = Promise.reject(error);
    }
    return attempts.then(this.settle, this.fail);
  }

  /** The attempts through the service's policy, its first one outside the retry layer when it can. */
  private attempted(): Promise<R> {
    // The budget's clock is performance.now(), read once already as the call started (its slots are 1 s wide).
    this.runtime.budget?.recordRequest(this.deadline.startedAt);
    return runFirstAttemptDirect(this.runtime.policy, this.attempt, this.deadline);
  }

  private send(attempt: number): Promise<R> {
    const { runtime, transport } = this;
    this.attempts = attempt;
    const sentAt = performance.now();
    let endpoint: Endpoint<C> | undefined;
    try {
      endpoint = runtime.balancer.pick(transport.key, attempt === 1 ? undefined : this.triedSoFar(), sentAt);
    } catch (error) {
      return Promise.reject(error);
    }
    if (endpoint === undefined) return Promise.reject(new AttemptFailure(new Error('no other instance left to try'), this.last!.instance, false));
    this.tried?.add(endpoint);
    this.last = endpoint;
    this.sentAt = sentAt;
    endpoint.inFlight++;
    let sent: Promise<A>;
    try {
      sent = transport.send(endpoint.connection, attempt, attempt < this.maxAttempts, sentAt);
    } catch (error) {
      sent = Promise.reject(error);
    }
    return sent.then(this.answered, this.sendFailed);
  }

  /** The attempt's answer: its result, or a retryable one thrown for the policy to retry. */
  private judged(answer: A): R {
    const { transport, attempts: attempt } = this;
    const endpoint = this.last!;
    const { balancer } = this.runtime;
    endpoint.inFlight--;
    const now = performance.now();
    endpoint.observe(now - this.sentAt, now);
    const result = transport.result(answer, endpoint, attempt);
    const verdict = transport.judge(result);
    if (verdict.failure) balancer.onFailure(endpoint, now);
    else balancer.onSuccess(endpoint, now);
    if (!verdict.retry) return result;
    // Its Retry-After is that instance's: no new calls to it until then, while a retry goes elsewhere at once.
    deferInstance(balancer, endpoint, verdict.wait, now);
    const wait = this.retryWait(attempt, false, now);
    throw new UpstreamStatusError(result as never, wait !== undefined, wait);
  }

  /** What a failed attempt throws through the policy. */
  private failed(endpoint: Endpoint<C>, attempt: number, sentAt: number, error: unknown): unknown {
    // The deadline or the caller ended it: not the instance's fault, and no retry.
    if (this.deadline.aborted) return error;
    const verdict = this.transport.judgeFailure(error);
    if (verdict === undefined) return error;
    const { balancer } = this.runtime;
    const now = performance.now();
    if (isAttemptTimeout(error)) endpoint.observe(now - sentAt, now);
    if (verdict.wait !== undefined) deferInstance(balancer, endpoint, verdict.wait, now);
    if (verdict.failure) balancer.onFailure(endpoint, now);
    const wait = verdict.retry ? this.retryWait(attempt, verdict.notSent === true, now) : undefined;
    return new (verdict.refusal === true ? InstanceRejection : AttemptFailure)(error, endpoint.instance, wait !== undefined, wait);
  }

  /** How long the retry of attempt `attempt` waits for its instance (0: the backoff alone); `undefined`: no retry. */
  private retryWait(attempt: number, notSent: boolean, now: number): number | undefined {
    const { options, balancer } = this.runtime;
    return attempt < this.maxAttempts && this.transport.resendable(notSent) ? retryDelay(balancer, this.triedSoFar(), options, this.deadline.at, now) : undefined;
  }

  private triedSoFar(): Set<Endpoint<C>> {
    return (this.tried ??= new Set(this.last === undefined ? undefined : [this.last]));
  }

  /** What the call rejects with: an instance's refusal that was not retried as the remote sent it, else one of the package's errors. */
  private callError(error: unknown): unknown {
    const { callerSignal, deadline } = this;
    if (error instanceof InstanceRejection && !callerSignal?.aborted) return error.cause;
    const { options } = this.runtime;
    return toCallError(error, {
      serviceName: options.serviceName,
      attempts: this.attempts,
      instanceId: this.last?.instance.id,
      deadline: deadline.ms,
      attemptTimeout: options.attemptTimeout,
      deadlineExpired: deadline.expired(),
      callerSignal,
    });
  }
}
