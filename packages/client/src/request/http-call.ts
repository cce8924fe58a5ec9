import type { Dispatcher, Pool } from 'undici';
import type { Endpoint } from '../balancer/endpoint.js';
import { currentPropagatedContext } from '../context/request-context.js';
import type { ServiceRequest } from '../interfaces/service-request.interface.js';
import type { ServiceResponse } from '../interfaces/service-response.interface.js';
import { checkNumber, invalid } from '../options/option-checks.js';
import { runFirstAttemptDirect } from '../resilience/first-attempt.js';
import { DEADLINE_HEADER, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_METHODS } from '../service-client.constants.js';
import { AttemptFailure, UpstreamStatusError, failedBeforeSending, isAttemptTimeout, isFailureStatus, isRetryableStatus } from './attempt-outcome.js';
import { awaitInstances } from './await-instances.js';
import { startDeadline, type CallDeadline } from './call-deadline.js';
import { toCallError } from './call-errors.js';
import { RelayAttempt } from './relay-attempt.js';
import { StreamedAttempt } from './streamed-attempt.js';
import { prepareBody } from './request-body.js';
import { buildHeaders } from './request-headers.js';
import { buildPath } from './request-path.js';
import { deferInstance, retryDelay } from './retry-target.js';
import type { ServiceRuntime } from './service-runtime.js';

/** @internal An attempt's answer, its body not read yet (a retried one is dumped). */
interface AttemptAnswer<TBody extends DumpableBody> {
  readonly statusCode: number;
  readonly headers: ServiceResponse['headers'];
  readonly body: TBody;
}

/** @internal A body the call can drop when it retries. */
export interface DumpableBody {
  dump(): Promise<unknown>;
}

/**
 * @internal How one attempt is sent over an instance's pool. The call's deadline (with the caller's signal) and
 * `timeoutMs` (`timeout.ms`) end it in every phase, waiting for a pool connection included, on the client's own
 * timers ({@link AttemptHandler}): undici's act only once a connection is found, and run on ~1 s ticks.
 */
export type HttpExchange<TBody extends DumpableBody> = (
  connection: Pool,
  options: Dispatcher.RequestOptions,
  deadline: CallDeadline,
  timeoutMs: number | undefined,
) => Promise<AttemptAnswer<TBody>>;

/** @internal `request()`: undici's own response, its body a readable stream ({@link StreamedAttempt}). */
export const streamedExchange: HttpExchange<ServiceResponse['body']> = (connection, options, deadline, timeoutMs) =>
  StreamedAttempt.send(connection, options, deadline.undiciSignal, timeoutMs);

/** @internal `relay()`: an undici dispatch handler that relays or dumps the answer ({@link RelayAttempt}). */
export const relayedExchange: HttpExchange<RelayAttempt> = (connection, options, deadline, timeoutMs) => {
  const attempt = new RelayAttempt(deadline.undiciSignal, timeoutMs);
  connection.dispatch(options, attempt);
  return attempt.answered;
};

/**
 * @internal One `ServiceClient.request()` (or `relay()`): attempts through the service's resilience policy, each
 * on an instance the strategy picks (another than those this call tried, unless the service has only one), all
 * within one deadline; `exchange` sends each attempt.
 */
export async function executeHttpCall<TBody extends DumpableBody = ServiceResponse['body']>(
  runtime: ServiceRuntime<Pool>,
  request: ServiceRequest,
  exchange: HttpExchange<TBody> = streamedExchange as unknown as HttpExchange<TBody>,
): Promise<ServiceResponse<TBody>> {
  const { options, balancer, policy } = runtime;
  const where = `ServiceClient("${options.key}").request()`;
  if (typeof request !== 'object' || request === null) invalid(where, 'request', request, 'Pass { method, path, ... }.');
  if (typeof request.method !== 'string' || !/^[A-Za-z]+$/.test(request.method)) invalid(where, 'method', request.method, 'Use an HTTP method such as "GET".');
  const method = request.method.toUpperCase();
  const path = buildPath(request.path, request.query, where);
  const body = prepareBody(request.body, where);
  const deadlineMs = request.timeout === undefined ? options.deadline : checkNumber(where, 'timeout', request.timeout, options.deadline, { min: 0, exclusiveMin: true });
  const propagated = currentPropagatedContext();
  const headers = buildHeaders(options.headers, propagated?.headers, request.headers, body.contentType);
  const idempotent = IDEMPOTENT_METHODS.has(method) || headers[IDEMPOTENCY_KEY_HEADER] !== undefined;

  const deadline = startDeadline(deadlineMs, propagated?.deadlineAt, request.signal);
  const { at: deadlineAt } = deadline;
  const tried = new Set<Endpoint<Pool>>();
  let attempts = 0;
  let last: Endpoint<Pool> | undefined;

  const canRetry = (attempt: number, allowed: boolean, notSent: boolean): boolean =>
    options.retry !== false &&
    attempt < (options.retry.maxAttempts ?? 1) &&
    allowed &&
    (body.replayable || (notSent && body.untouched()));
  /** How long the retry of a failed attempt waits for its instance (0: the backoff alone), `undefined`: no retry. */
  const retryWait = (attempt: number, allowed: boolean, notSent: boolean, now: number): number | undefined =>
    canRetry(attempt, allowed, notSent) ? retryDelay(balancer, tried, options, deadlineAt, now) : undefined;

  // With timeout.ms the client's own timer bounds each attempt: undici's coarse one is switched off. Without it,
  // the longest silence in an answer's body is the call's deadline (not undici's 300 s): a stalled body ends.
  const headersTimeout = options.attemptTimeout === undefined ? undefined : 0;
  const bodyTimeout = headersTimeout ?? deadline.ms;

  const attempt = async ({ attempt }: { attempt: number }): Promise<ServiceResponse<TBody>> => {
    attempts = attempt;
    const endpoint = balancer.pick(request.key, tried);
    if (endpoint === undefined) throw new AttemptFailure(new Error('no other instance left to try'), last!.instance, false);
    tried.add(endpoint);
    last = endpoint;
    headers[DEADLINE_HEADER] = String(Math.max(0, Math.floor(deadlineAt - performance.now())));
    endpoint.inFlight++;
    const sentAt = performance.now();
    let data: AttemptAnswer<TBody>;
    // A stream another attempt may still need goes out through a lazy body: untouched unless a connection took it.
    try {
      data = await exchange(endpoint.connection, { method: method as Dispatcher.HttpMethod, path, headers, body: body.replayable || !canRetry(attempt, true, true) ? body.body : body.untilSent(), headersTimeout, bodyTimeout }, deadline, options.attemptTimeout);
    } catch (error) {
      endpoint.inFlight--;
      // The deadline or the caller ended it: not the instance's fault, and no retry.
      if (deadline.aborted) throw error;
      const now = performance.now();
      if (isAttemptTimeout(error)) endpoint.observe(now - sentAt, now);
      balancer.onFailure(endpoint, now);
      const notSent = failedBeforeSending(error);
      const wait = retryWait(attempt, idempotent || notSent, notSent, now);
      throw new AttemptFailure(error, endpoint.instance, wait !== undefined, wait);
    }
    endpoint.inFlight--;
    const now = performance.now();
    endpoint.observe(now - sentAt, now);
    // A plain property: an object literal with a getter here made every call much slower (measured).
    const response: ServiceResponse<TBody> = { status: data.statusCode, headers: data.headers, body: data.body, instance: endpoint.instance, attempts: attempt };
    if (isFailureStatus(data.statusCode)) balancer.onFailure(endpoint, now);
    else balancer.onSuccess(endpoint, now);
    if (!isRetryableStatus(data.statusCode)) return response;
    // Its Retry-After is that instance's: no new calls to it until then, while a retry goes elsewhere at once.
    deferInstance(balancer, endpoint, data.headers['retry-after'], now);
    const wait = retryWait(attempt, idempotent, false, now);
    throw new UpstreamStatusError(response, wait !== undefined, wait);
  };

  try {
    if (!balancer.isReady) await awaitInstances(runtime);
    runtime.budget?.recordRequest();
    return await runFirstAttemptDirect(policy, attempt, deadline);
  } catch (error) {
    if (error instanceof UpstreamStatusError) return error.response as ServiceResponse<TBody>;
    throw toCallError(error, {
      serviceName: options.serviceName,
      attempts,
      instanceId: last?.instance.id,
      deadline: deadline.ms,
      attemptTimeout: options.attemptTimeout,
      deadlineExpired: deadline.expired(),
      callerSignal: request.signal,
    });
  } finally {
    deadline.clear();
  }
}
