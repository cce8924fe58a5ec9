import type { Dispatcher, Pool } from 'undici';
import type { Endpoint } from '../balancer/endpoint.js';
import { currentPropagatedContext } from '../context/request-context.js';
import type { ServiceRequest } from '../interfaces/service-request.interface.js';
import type { ServiceResponse } from '../interfaces/service-response.interface.js';
import { checkNumber, invalid } from '../options/option-checks.js';
import { DEADLINE_HEADER, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_METHODS } from '../service-client.constants.js';
import { ANSWERED, runAttempts, type AttemptTransport, type AttemptVerdict } from './attempt-loop.js';
import { failedBeforeSending, isFailureStatus, isRetryableStatus } from './attempt-outcome.js';
import { startDeadline, type CallDeadline } from './call-deadline.js';
import { RelayAttempt, type RelaySink } from './relay-attempt.js';
import { StreamedAttempt } from './streamed-attempt.js';
import { prepareBody, type PreparedBody } from './request-body.js';
import { buildHeaders } from './request-headers.js';
import { buildPath } from './request-path.js';
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
 * The usual methods as callers spell them (upper or lower case), to their upper-case form: a plain call needs no
 * pattern test and no new string (profiled: the check was the largest self time of `executeHttpCall`).
 */
const KNOWN_METHODS: ReadonlyMap<unknown, string> = new Map(
  ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].flatMap((name) => [
    [name, name],
    [name.toLowerCase(), name],
  ]),
);

/** Any other method: letters only, upper-cased. */
function checkedMethod(method: unknown, where: string): string {
  if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) invalid(where, 'method', method, 'Use an HTTP method such as "GET".');
  return method.toUpperCase();
}

/** An answer that counts against the instance but is not retried (501, 505). */
const FAILED_ANSWER: AttemptVerdict = { failure: true, retry: false };
/** The headers of a relayed answer nothing judges by its headers (the sink reads them raw). */
const UNREAD_HEADERS: ServiceResponse['headers'] = Object.freeze({}) as ServiceResponse['headers'];

/** @internal One HTTP call's part in the attempt loop ({@link runAttempts}): its request, sent by `exchange`. */
class HttpAttempts<TBody extends DumpableBody> implements AttemptTransport<Pool, AttemptAnswer<TBody>, ServiceResponse<TBody>> {
  // With timeout.ms the client's own timer bounds each attempt: undici's coarse one is switched off.
  private readonly headersTimeout: number | undefined;
  private readonly bodyTimeout: number | undefined;

  constructor(
    readonly key: string | undefined,
    private readonly exchange: HttpExchange<TBody>,
    private readonly method: Dispatcher.HttpMethod,
    private readonly path: string,
    private readonly headers: Record<string, string | string[]>,
    private readonly body: PreparedBody,
    private readonly idempotent: boolean,
    readonly deadline: CallDeadline,
    private readonly attemptTimeout: number | undefined,
    /** `relay()`'s sink: the answer the call settles on goes there. */
    private readonly sink: RelaySink | undefined,
  ) {
    // With timeout.ms the client's own timer bounds each attempt: undici's coarse one is switched off. Without it,
    // the longest silence in an answer's body is the call's deadline (not undici's 300 s): a stalled body ends.
    this.headersTimeout = attemptTimeout === undefined ? undefined : 0;
    this.bodyTimeout = this.headersTimeout ?? deadline.ms;
  }

  send(connection: Pool, _attempt: number, retriesLeft: boolean, now: number): Promise<AttemptAnswer<TBody>> {
    const { body, headers, headersTimeout, bodyTimeout } = this;
    headers[DEADLINE_HEADER] = String(Math.max(0, Math.floor(this.deadline.at - now)));
    // A stream another attempt may still need goes out through a lazy body: untouched unless a connection took it.
    const sent = body.replayable || !retriesLeft || !body.untouched() ? body.body : body.untilSent();
    return this.exchange(connection, { method: this.method, path: this.path, headers, body: sent, headersTimeout, bodyTimeout }, this.deadline, this.attemptTimeout);
  }

  result(data: AttemptAnswer<TBody>, endpoint: Endpoint<Pool>, attempt: number): ServiceResponse<TBody> {
    // A plain property: an object literal with a getter here made every call much slower (measured). A relayed
    // answer's headers are parsed only when judge() reads its Retry-After: the sink takes them raw.
    const headers = this.sink !== undefined && !isRetryableStatus(data.statusCode) ? UNREAD_HEADERS : data.headers;
    return { status: data.statusCode, headers, body: data.body, instance: endpoint.instance, attempts: attempt };
  }

  /** 5xx counts against the instance; 5xx (but 501, 505), 408 and 429 are retried, after their `Retry-After`. */
  judge({ status, headers }: ServiceResponse<TBody>): AttemptVerdict {
    if (!isRetryableStatus(status)) return isFailureStatus(status) ? FAILED_ANSWER : ANSWERED;
    return { failure: isFailureStatus(status), retry: true, wait: headers['retry-after'] };
  }

  /** Every failed exchange is the instance's, retried when the request may go out again. */
  judgeFailure(error: unknown): AttemptVerdict {
    return { failure: true, retry: true, notSent: failedBeforeSending(error) };
  }

  /** Idempotent (or not sent at all), and its body can go out again (replayable, or never read). */
  resendable(notSent: boolean): boolean {
    return (this.idempotent || notSent) && (this.body.replayable || (notSent && this.body.untouched()));
  }

  /** `relay()`: the answer goes to the sink (what `sink.start()` throws rejects the call). */
  settled(response: ServiceResponse<TBody>): void {
    if (this.sink !== undefined) (response.body as unknown as RelayAttempt).relayTo(this.sink);
  }
}

/**
 * @internal One `ServiceClient.request()` (or `relay()`): checks the request, then runs the attempt loop
 * ({@link runAttempts}) within one deadline; `exchange` sends each attempt. With `sink` (`relay()`, whose exchange
 * is {@link relayedExchange}), the answer the call settles on is relayed to it before the call resolves.
 */
export function executeHttpCall<TBody extends DumpableBody = ServiceResponse['body']>(
  runtime: ServiceRuntime<Pool>,
  request: ServiceRequest,
  exchange: HttpExchange<TBody> = streamedExchange as unknown as HttpExchange<TBody>,
  sink?: RelaySink,
): Promise<ServiceResponse<TBody>> {
  let attempts: HttpAttempts<TBody>;
  // A request that is not one rejects the call, as every other failure does (never a throw from request()).
  try {
    const { options } = runtime;
    const where = `ServiceClient("${options.key}").request()`;
    if (typeof request !== 'object' || request === null) invalid(where, 'request', request, 'Pass { method, path, ... }.');
    const method = KNOWN_METHODS.get(request.method) ?? checkedMethod(request.method, where);
    const path = buildPath(request.path, request.query, where);
    const body = prepareBody(request.body, where);
    const deadlineMs = request.timeout === undefined ? options.deadline : checkNumber(where, 'timeout', request.timeout, options.deadline, { min: 0, exclusiveMin: true });
    const propagated = currentPropagatedContext();
    const headers = buildHeaders(options.headers, propagated?.headers, request.headers, body.contentType);
    const idempotent = IDEMPOTENT_METHODS.has(method) || headers[IDEMPOTENCY_KEY_HEADER] !== undefined;
    const deadline = startDeadline(deadlineMs, propagated?.deadlineAt, request.signal, runtime.deadlines);
    attempts = new HttpAttempts(request.key, exchange, method as Dispatcher.HttpMethod, path, headers, body, idempotent, deadline, options.attemptTimeout, sink);
  } catch (error) {
    return Promise.reject(error);
  }
  return runAttempts(runtime, attempts, attempts.deadline, request.signal);
}
