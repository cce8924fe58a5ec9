import Consul from 'consul';
import { EventEmitter } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { RegistryUnreachableError } from '../../errors/registry-unreachable.error.js';
import { messages } from '../../errors/messages.constants.js';
import { bodyText, notConsulReason, type ConsulAnswerKind } from './consul-answer.js';
import type { ConsulCallOptions, ConsulClient, ConsulRawResponse, PapiError } from './consul-client.types.js';
import type { ConsulEndpoint } from './consul-endpoint.js';

/** One call: what it is (for messages), what answer to expect, and its bounds. @internal */
export interface ConsulCall {
  /** For messages, e.g. `the registration of "orders-1"`. */
  what: string;
  expect: ConsulAnswerKind;
  timeout: number;
  signal?: AbortSignal;
  /** The ACL permission the call needs, named in a 403's fix, e.g. `service:write on "orders"`. */
  permission?: string;
  /** Statuses that are answers rather than failures (e.g. 404 for an unknown instance). */
  accept?: number[];
}

const isHtml = (response: ConsulRawResponse) => /html/i.test(String(response.headers['content-type'] ?? ''));

const isErrorLike = (value: unknown): value is Error =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Error).message === 'string' && typeof (value as Error).stack === 'string';

/** The client class, typed with the per-call options and raw requests its own types omit. */
const ConsulClass = Consul as unknown as new (options: ConstructorParameters<typeof Consul>[0]) => ConsulClient;

/**
 * The `consul` npm client for one endpoint over its own keep-alive agent (at most `maxSockets`). Every call is
 * bounded by a timeout and a signal, and its answer checked to be Consul's before it is believed. @internal
 */
export class ConsulApi {
  readonly client: ConsulClient;
  /** Consul's origin, e.g. `http://127.0.0.1:8500`. */
  readonly address: string;

  constructor(
    readonly endpoint: ConsulEndpoint,
    maxSockets: number,
  ) {
    const { baseUrl, tls, token } = endpoint;
    const secure = baseUrl.protocol === 'https:';
    const agent = secure
      ? new HttpsAgent({ keepAlive: true, maxSockets, ca: tls?.ca, rejectUnauthorized: tls?.rejectUnauthorized ?? true })
      : new HttpAgent({ keepAlive: true, maxSockets });
    const port = Number(baseUrl.port || (secure ? 443 : 80));
    this.client = new ConsulClass({ host: baseUrl.hostname, port, secure, agent, defaults: token ? { token } : undefined });
    // papi hands its URL's hostname to http.request, which wants an IPv6 address without brackets ([::1] -> ::1).
    this.client._opts.baseUrl.hostname = baseUrl.hostname.replace(/^\[(.*)\]$/, '$1');
    this.address = baseUrl.origin;
  }

  /** Headers of a raw call, a new object each time (the package's own methods add the default token themselves). */
  get rawHeaders(): Record<string, string> {
    return this.endpoint.token ? { 'x-consul-token': this.endpoint.token } : {};
  }

  /**
   * Runs `operation` with the call's timeout and cancellation, and returns Consul's response (decoded `body`), or
   * rejects with a {@link RegistryUnreachableError} that says what failed and the fix.
   */
  async call(call: ConsulCall, operation: (options: Pick<ConsulCallOptions, 'timeout' | 'ctx'>) => Promise<unknown>): Promise<ConsulRawResponse> {
    const ctx = Object.assign(new EventEmitter(), { includeResponse: true as const, canceled: false });
    const cancel = () => {
      ctx.canceled = true;
      ctx.emit('cancel');
    };
    if (call.signal?.aborted) throw this.unreachable('the request was aborted');
    call.signal?.addEventListener('abort', cancel, { once: true });
    let response: ConsulRawResponse;
    try {
      const result = await operation({ timeout: call.timeout, ctx });
      // papi tells errors by `instanceof Error`, so an error made in another realm (Node's own, under Jest's VM)
      // comes back as a value rather than a rejection.
      if (isErrorLike(result)) throw result;
      response = (Array.isArray(result) ? result[0] : result) as ConsulRawResponse;
    } catch (error) {
      const failure = error as PapiError;
      const answer = failure.isResponse ? failure.response : undefined;
      if (answer && call.accept?.includes(answer.statusCode ?? 0) && !isHtml(answer)) return answer;
      throw this.translate(call, failure);
    } finally {
      call.signal?.removeEventListener('abort', cancel);
    }
    const reason = notConsulReason(response, call.expect);
    if (reason) throw new RegistryUnreachableError(messages.notConsul(this.address, call.what, reason), this.address);
    return response;
  }

  /** Closes every socket this client opened. */
  close(): void {
    this.client.destroy();
  }

  /** The error for a refusal by Consul: its status and message, and the fix. */
  rejection(what: string, status: number, text: string, permission?: string, cause?: unknown): RegistryUnreachableError {
    const fix = messages.consulRejectionFix(status, text, permission);
    return new RegistryUnreachableError(messages.consulRejected(this.address, what, status, text, fix), this.address, { cause });
  }

  private translate(call: ConsulCall, error: PapiError): RegistryUnreachableError {
    if (error.isCodec) return new RegistryUnreachableError(messages.notConsul(this.address, call.what, 'a body that is not valid JSON'), this.address, { cause: error });
    if (error.isResponse && error.response) {
      const { statusCode = 0 } = error.response;
      // An error page of a proxy or another server is not a refusal by Consul (Consul answers errors in text/plain).
      if (isHtml(error.response)) return new RegistryUnreachableError(messages.notConsul(this.address, call.what, `HTTP ${statusCode} with an HTML page`), this.address, { cause: error });
      return this.rejection(call.what, statusCode, bodyText(error.response.body), call.permission, error);
    }
    if (error.isAbort) return this.unreachable('the request was aborted', error);
    if (error.isTimeout) return this.unreachable(`no answer within ${call.timeout} ms`, error);
    const code = (error as NodeJS.ErrnoException).code;
    return this.unreachable(code ? `${code} ${error.message.replace(/^consul: [\w.]+: /, '')}` : error.message.replace(/^consul: [\w.]+: /, ''), error);
  }

  private unreachable(detail: string, cause?: unknown): RegistryUnreachableError {
    return new RegistryUnreachableError(messages.consulUnreachable(this.address, detail), this.address, { cause });
  }
}
