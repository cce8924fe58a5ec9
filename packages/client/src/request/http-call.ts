import { MAX_TIMER_MS } from '@nestmesh/common';
import type { Dispatcher, Pool } from 'undici';
import type { Endpoint } from '../balancer/endpoint.js';
import { propagatedContext } from '../context/request-context.js';
import type { ServiceRequest } from '../interfaces/service-request.interface.js';
import type { ServiceResponse } from '../interfaces/service-response.interface.js';
import { checkNumber, invalid } from '../options/option-checks.js';
import { DEADLINE_HEADER, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_METHODS } from '../service-client.constants.js';
import { ANSWERED, AttemptLoop, type AttemptVerdict } from './attempt-loop.js';
import { RelayAttempt, type RelaySink } from './relay-attempt.js';
import { StreamedAttempt } from './streamed-attempt.js';
import { buildHeaders, buildPath, prepareBody, untouched, UntilSentBody } from './request-helpers.js';
import type { PreparedBody } from './request-helpers.js';
import type { ServiceRuntime } from './service-runtime.js';

/** An attempt's answer, its body unread: undici's (`request()`), or the exchange, relayed or dumped (`relay()`). */
type AttemptAnswer = Dispatcher.ResponseData | RelayAttempt;
type AnswerBody = AttemptAnswer['body'];

/** The usual methods (upper or lower case) to their upper-case form: no pattern test, no new string (profiled). */
const KNOWN_METHODS: ReadonlyMap<unknown, Dispatcher.HttpMethod> = new Map(
  ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].flatMap((name) => [
    [name, name],
    [name.toLowerCase(), name],
  ]),
);

/** Any other method: letters only, upper-cased. */
function checkedMethod(method: unknown, where: string): Dispatcher.HttpMethod {
  if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) invalid(where, 'method', method, 'Use an HTTP method such as "GET".');
  return method.toUpperCase();
}

/** Statuses worth retrying on another instance: 5xx (but 501, 505) and 408, 429. */
const isRetryableStatus = (status: number): boolean =>
  (status >= 500 && status !== 501 && status !== 505) || status === 408 || status === 429;
/** The headers of a relayed answer nothing judges by its headers (the sink reads them raw). */
const UNREAD_HEADERS: ServiceResponse['headers'] = Object.freeze({}) as ServiceResponse['headers'];

/**
 * One HTTP call, each attempt over the picked instance's pool, ended by the deadline and `timeout.ms` as
 * {@link AttemptHandler} says. With `sink` (`relay()`), each attempt is a {@link RelayAttempt} and the answer the
 * call settles on goes to the sink; else it is undici's own response ({@link StreamedAttempt}).
 */
class HttpCall extends AttemptLoop<Pool, AttemptAnswer, ServiceResponse<AnswerBody>> {
  private readonly idempotent: boolean;

  constructor(
    runtime: ServiceRuntime<Pool>,
    request: ServiceRequest,
    deadlineMs: number,
    inherited: number | undefined,
    private readonly method: Dispatcher.HttpMethod,
    private readonly path: string,
    private readonly headers: Record<string, string | string[]>,
    private readonly body: PreparedBody,
    private readonly sink: RelaySink | undefined,
  ) {
    super(runtime, request.key, deadlineMs, inherited, request.signal);
    this.idempotent = IDEMPOTENT_METHODS.has(method) || headers[IDEMPOTENCY_KEY_HEADER] !== undefined;
  }

  protected send(connection: Pool, _attempt: number, retriesLeft: boolean, now: number): Promise<AttemptAnswer> {
    const { body, headers, deadline } = this;
    const timeoutMs = this.runtime.options.attemptTimeout;
    // With timeout.ms the client's own timer bounds each attempt: undici's coarse one is switched off. Without it,
    // the longest silence in an answer's body is the call's deadline (not undici's 300 s): a stalled body ends.
    const headersTimeout = timeoutMs === undefined ? undefined : 0;
    const bodyTimeout = headersTimeout ?? deadline.ms;
    headers[DEADLINE_HEADER] = String(Math.max(0, Math.floor(deadline.at - now)));
    // A stream another attempt may still need goes out through a lazy body: untouched unless a connection took it.
    const sent = body.replayable || !retriesLeft || !untouched(body.body) ? body.body : new UntilSentBody(body.body);
    const options = { method: this.method, path: this.path, headers, body: sent, headersTimeout, bodyTimeout };
    if (this.sink === undefined) return StreamedAttempt.send(connection, options, deadline.undiciSignal, timeoutMs);
    const attempt = new RelayAttempt(deadline.undiciSignal, timeoutMs);
    connection.dispatch(options, attempt);
    return attempt.answered;
  }

  protected result(data: AttemptAnswer, endpoint: Endpoint<Pool>, attempt: number): ServiceResponse<AnswerBody> {
    // A plain property: an object literal with a getter here made every call much slower (measured). A relayed
    // answer's headers are parsed only when judge() reads its Retry-After: the sink takes them raw.
    const headers = this.sink !== undefined && !isRetryableStatus(data.statusCode) ? UNREAD_HEADERS : data.headers;
    return { status: data.statusCode, headers, body: data.body, instance: endpoint.instance, attempts: attempt };
  }

  /** 5xx counts against the instance; 5xx (but 501, 505), 408 and 429 are retried, after their `Retry-After`. */
  protected override judge({ status, headers }: ServiceResponse<AnswerBody>): AttemptVerdict {
    if (!isRetryableStatus(status)) return status >= 500 ? { failure: true, retry: false } : ANSWERED;
    return { failure: status >= 500, retry: true, wait: headers['retry-after'] };
  }

  /** Idempotent (or not sent at all), and its body can go out again (replayable, or never read). */
  protected override resendable(notSent: boolean): boolean {
    return (this.idempotent || notSent) && (this.body.replayable || (notSent && untouched(this.body.body)));
  }

  /** `relay()`: the answer goes to the sink (what `sink.start()` throws rejects the call). */
  protected override settled(response: ServiceResponse<AnswerBody>): void {
    if (this.sink !== undefined) (response.body as RelayAttempt).relayTo(this.sink);
  }
}

/** @internal `ServiceClient.request()`, or with `sink` `relay()`: a bad request rejects the call (never a throw). */
export function executeHttpCall(
  runtime: ServiceRuntime<Pool>,
  request: ServiceRequest,
  sink?: RelaySink,
): Promise<ServiceResponse> {
  try {
    const { options } = runtime;
    const where = `ServiceClient("${options.key}").request()`;
    if (typeof request !== 'object' || request === null) invalid(where, 'request', request, 'Pass { method, path, ... }.');
    const method = KNOWN_METHODS.get(request.method) ?? checkedMethod(request.method, where);
    const path = buildPath(request.path, request.query, where);
    const body = prepareBody(request.body, where);
    const deadlineMs = request.timeout === undefined ? options.deadline : checkNumber(where, 'timeout', request.timeout, options.deadline, { min: 0, max: MAX_TIMER_MS, exclusiveMin: true });
    const propagated = propagatedContext.getStore();
    const headers = buildHeaders(options.headers, propagated?.headers, request.headers, body.contentType, where);
    return new HttpCall(runtime, request, deadlineMs, propagated?.deadlineAt, method, path, headers, body, sink).run() as Promise<ServiceResponse>;
  } catch (error) {
    return Promise.reject(error);
  }
}
