import { TaskCancelledError, isBrokenCircuitError, isTaskCancelledError } from '@nestmesh/resilience';
import type { ResiliencePolicy, ResiliencePolicyContext } from '@nestmesh/resilience';
import type { Endpoint } from '../balancer/endpoint.js';
import { messages } from '../errors/messages.constants.js';
import { RetryBudgetExhaustedError } from '../errors/retry-budget-exhausted.error.js';
import { ServiceCircuitOpenError } from '../errors/service-circuit-open.error.js';
import { ServiceClientError } from '../errors/service-client.error.js';
import { ServiceTimeoutError } from '../errors/service-timeout.error.js';
import { UpstreamUnreachableError } from '../errors/upstream-unreachable.error.js';
import { AttemptFailure, UpstreamStatusError, failedBeforeSending, isAttemptTimeout } from './attempt-outcome.js';
import { awaitInstances } from './await-instances.js';
import { CallDeadline } from './call-deadline.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * @internal Runs a call through `policy`, its first attempt outside the retry layer when the policy offers it (see
 * `executeFirstAttemptDirect`: the call's deadline bounds each request itself); an aborted one goes to `execute()`.
 */
export function runFirstAttemptDirect<T>(
  policy: ResiliencePolicy,
  attempt: (context: ResiliencePolicyContext) => Promise<T>,
  deadline: CallDeadline,
): Promise<T> {
  if (deadline.aborted || policy.executeFirstAttemptDirect === undefined) return policy.execute(attempt, deadline.signal);
  return policy.executeFirstAttemptDirect(attempt, () => deadline.signal);
}

/** @internal What an answer means: a `failure` of the instance, a `retry` wanted, the instance's asked `wait`. */
export interface AttemptVerdict {
  readonly failure: boolean;
  readonly retry: boolean;
  readonly wait?: string | string[];
}

/** @internal An answer that needs nothing more: counted as a success, returned. */
export const ANSWERED: AttemptVerdict = { failure: false, retry: false };

/**
 * @internal One call of a service, whatever its transport: attempts through the service's policy (the first outside
 * the retry layer when it can), each on an instance the strategy picks (not one already tried, unless it is the only
 * one), within the deadline. The loop keeps in-flight counts, latency, failures, asked waits, retries and errors;
 * HTTP and TCP say how to send an attempt and what it means. One object per call, its handlers made once (no async
 * frame per step); attempts never overlap (a retry starts once the one before settled): the last is in fields.
 */
export abstract class AttemptLoop<C, A, R> {
  /** The call's deadline, joined with the caller's signal. */
  protected readonly deadline: CallDeadline;
  private readonly maxAttempts: number;
  /** The endpoints this call tried: made by the first retry (a healthy call needs no set). */
  private tried: Set<Endpoint<C>> | undefined;
  /** The attempt under way (or the last one): its number, endpoint and `performance.now()` when sent. */
  private attempts = 0;
  private last: Endpoint<C> | undefined;
  private sentAt = 0;

  /** One attempt, as the resilience policy runs it: on an instance the strategy picks. */
  private readonly attempt = ({ attempt }: { attempt: number }): Promise<R> => {
    this.attempts = attempt;
    const sentAt = performance.now();
    // What pick() throws (no instance) reaches the policy as this attempt's failure: it takes a throw as a rejection.
    const endpoint = this.runtime.balancer.pick(this.key, attempt === 1 ? undefined : this.triedSoFar(), sentAt);
    if (endpoint === undefined) {
      throw new AttemptFailure(new Error('no other instance left to try'), this.last!.instance, false);
    }
    this.tried?.add(endpoint);
    this.last = endpoint;
    this.sentAt = sentAt;
    endpoint.inFlight++;
    let sent: Promise<A>;
    try {
      sent = this.send(endpoint.connection, attempt, attempt < this.maxAttempts, sentAt);
    } catch (error) {
      sent = Promise.reject(error);
    }
    return sent.then(this.answered, this.failed);
  };

  /** The attempt's answer: its result, or a retryable one thrown for the policy to retry. */
  private readonly answered = (answer: A): R => {
    const endpoint = this.last!;
    const { balancer } = this.runtime;
    endpoint.inFlight--;
    const now = performance.now();
    endpoint.observe(now - this.sentAt, now);
    const result = this.result(answer, endpoint, this.attempts);
    const verdict = this.judge(result);
    if (verdict.failure) balancer.onFailure(endpoint, now);
    else balancer.onSuccess(endpoint, now);
    if (!verdict.retry) return result;
    // Its Retry-After is that instance's: no new calls to it until then, while a retry goes elsewhere at once.
    balancer.defer(endpoint, verdict.wait, now);
    const wait = this.retryWait(false, now);
    throw new UpstreamStatusError(result as never, wait !== undefined, wait);
  };

  /** The attempt failed: what it throws through the policy. */
  private readonly failed = (error: unknown): never => {
    const endpoint = this.last!;
    endpoint.inFlight--;
    // The deadline or the caller ended it: not the instance's fault, and no retry. A caller's cancellation is no
    // failure of the service either: a TaskCancelledError, which breakers do not count (the caller still gets its reason).
    if (this.deadline.callerSignal?.aborted) throw new TaskCancelledError('Call cancelled by the caller');
    const { balancer } = this.runtime;
    const now = performance.now();
    if (this.deadline.aborted) {
      // The instance did not answer within the deadline: that is its latency, and a failure (else an instance that
      // never answers keeps a latency of 0 for p2c-ewma and is never ejected).
      endpoint.observe(now - this.sentAt, now);
      balancer.onFailure(endpoint, now);
      throw error;
    }
    const refusedFor = this.refusal(error);
    if (refusedFor === undefined && !this.isFailure(error)) throw error;
    if (isAttemptTimeout(error)) endpoint.observe(now - this.sentAt, now);
    balancer.defer(endpoint, refusedFor, now);
    balancer.onFailure(endpoint, now);
    const wait = this.retryWait(refusedFor !== undefined || failedBeforeSending(error), now);
    throw new AttemptFailure(error, endpoint.instance, wait !== undefined, wait, refusedFor !== undefined);
  };

  private readonly settle = (result: R): R => {
    this.deadline.clear();
    this.settled(result);
    return result;
  };

  private readonly fail = (error: unknown): R => {
    if (error instanceof UpstreamStatusError) return this.settle(error.response as R);
    this.deadline.clear();
    throw this.callError(error);
  };

  /** Starts the call's deadline (`inherited`: the incoming request's); `key` is for `consistent-hash`. */
  protected constructor(
    protected readonly runtime: ServiceRuntime<C>,
    private readonly key: string | undefined,
    deadlineMs: number,
    inherited: number | undefined,
    callerSignal: AbortSignal | undefined,
  ) {
    // The policy's own retry (the service's `retry`, or the named policy's, over the module's defaults).
    this.maxAttempts = runtime.policy.retry?.maxAttempts ?? 1;
    this.deadline = new CallDeadline(deadlineMs, inherited, callerSignal, runtime.deadlines);
  }

  /** Sends an attempt; `retriesLeft`: whether a retry could follow (nothing need be kept for one if not). */
  protected abstract send(connection: C, attempt: number, retriesLeft: boolean, now: number): Promise<A>;

  /** The call's result from an attempt's answer, on `endpoint` (cheap: it is the hot path). */
  protected abstract result(answer: A, endpoint: Endpoint<C>, attempt: number): R;

  /** Whether the call may go out again; `notSent`: nothing of the attempt reached the instance (default: only then). */
  protected resendable(notSent: boolean): boolean {
    return notSent;
  }

  /** What an answer means (default: {@link ANSWERED}). */
  protected judge(_result: R): AttemptVerdict {
    return ANSWERED;
  }

  /** Whether a failure is the instance's (default); `false`: the remote's own error, passed on as it is. */
  protected isFailure(_error: unknown): boolean {
    return true;
  }

  /** The wait (ms) an instance asked for as it refused the call unhandled (TCP); `undefined` (default): none. */
  protected refusal(_error: unknown): number | undefined {
    return undefined;
  }

  /** Called with the call's result once the loop settled on it (what it throws rejects the call as it is). */
  protected settled(_result: R): void {}

  /** Runs the call: its result, or the error it rejects with ({@link callError}). */
  run(): Promise<R> {
    // The policy returns a promise whatever the attempts do (a throw included): nothing here throws.
    if (this.runtime.balancer.isReady) return this.attempted().then(this.settle, this.fail);
    return awaitInstances(this.runtime, this.deadline).then(() => this.attempted()).then(this.settle, this.fail);
  }

  /** The attempts through the service's policy, its first one outside the retry layer when it can. */
  private attempted(): Promise<R> {
    // The budget's clock is performance.now(), read once already as the call started (its slots are 1 s wide).
    this.runtime.budget?.recordRequest(this.deadline.startedAt);
    return runFirstAttemptDirect(this.runtime.policy, this.attempt, this.deadline);
  }

  /**
   * How long the retry of this attempt waits for its instance (0: the backoff alone); `undefined`: no retry (none
   * left, or the instance left asks for longer than `maxDelay` or the deadline: the caller gets what it has now).
   */
  private retryWait(notSent: boolean, now: number): number | undefined {
    const { retry } = this.runtime.policy;
    if (retry === undefined || this.attempts >= this.maxAttempts || !this.resendable(notSent)) return undefined;
    const wait = this.runtime.balancer.retryWait(this.triedSoFar(), now);
    return wait !== undefined && wait <= retry.maxDelay && wait < this.deadline.at - now ? wait : undefined;
  }

  private triedSoFar(): Set<Endpoint<C>> {
    return (this.tried ??= new Set(this.last === undefined ? undefined : [this.last]));
  }

  /**
   * What the call rejects with: a caller's abort stays the caller's, an instance's refusal not retried is what the
   * remote sent, anything else one of the package's branded 503/504 errors (service, instance, attempts).
   */
  private callError(error: unknown): unknown {
    const { callerSignal } = this.deadline;
    if (callerSignal?.aborted) return callerSignal.reason ?? error;
    if (error instanceof AttemptFailure && error.refused) return error.cause;
    if (error instanceof ServiceClientError) return error;
    const { serviceName, attemptTimeout } = this.runtime.options;
    const { attempts } = this;
    const instanceId = this.last?.instance.id;
    const details = { serviceName, instanceId, attempts, cause: error };
    if (this.deadline.expired()) return new ServiceTimeoutError(messages.timeout(serviceName, this.deadline.ms, instanceId, attempts), details);
    // A caller's abort and the deadline were handled above: the app closed during a retry's backoff.
    if (isTaskCancelledError(error)) return error;
    if (isBrokenCircuitError(error)) {
      return new ServiceCircuitOpenError(messages.circuitOpen(serviceName, attempts), details);
    }
    if (!(error instanceof AttemptFailure)) return error;
    if (isAttemptTimeout(error.cause) && error.code !== 'UND_ERR_CONNECT_TIMEOUT') {
      const ms = attemptTimeout ?? this.deadline.ms;
      return new ServiceTimeoutError(messages.attemptTimeout(serviceName, ms, instanceId, attempts), details);
    }
    const detail = error.code ? `${error.code}: ${error.message}` : error.message;
    if (error.budgetExhausted) {
      const message = messages.budgetExhausted(serviceName, instanceId, attempts, detail);
      return new RetryBudgetExhaustedError(message, details);
    }
    return new UpstreamUnreachableError(messages.unreachable(serviceName, instanceId, attempts, detail), details);
  }
}
