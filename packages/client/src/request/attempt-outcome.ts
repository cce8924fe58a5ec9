import type { ServiceInstance } from '@nestmesh/discovery';
import type { ServiceResponse } from '../interfaces/service-response.interface.js';

/** undici / Node error codes of a connection that failed before the request was written. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
/** Code of the error a TCP attempt fails with at its `timeout.ms`. */
export const ATTEMPT_TIMEOUT_CODE = 'NESTMESH_ATTEMPT_TIMEOUT';
/** Per-attempt timeouts (the HTTP attempt timer raises undici's error classes), and the TCP proxy's. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', ATTEMPT_TIMEOUT_CODE]);

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** @internal Marks an error of an attempt that ended before any connection took it (timed out waiting for one). */
export const NOT_SENT = Symbol('NESTMESH:client:not-sent');

/** @internal Whether the connection failed before anything was sent (always safe to retry elsewhere). */
export const failedBeforeSending = (error: unknown): boolean =>
  NOT_SENT_CODES.has(codeOf(error) ?? '') || (error as { [NOT_SENT]?: boolean } | null)?.[NOT_SENT] === true;

/** @internal Whether undici timed the attempt out. */
export const isAttemptTimeout = (error: unknown): boolean => TIMEOUT_CODES.has(codeOf(error) ?? '');

/** @internal An attempt that got no answer, thrown through the policies; `retryable`: another instance may be tried. */
export class AttemptFailure extends Error {
  override readonly name = 'AttemptFailure';
  /** Set when a retry was wanted but the retry budget refused it. */
  budgetExhausted = false;

  constructor(
    override readonly cause: unknown,
    readonly instance: ServiceInstance,
    readonly retryable: boolean,
    /** The least wait before the retry, in ms (the retry policy's `retryAfter` hint; 0: the backoff alone). */
    readonly retryAfter = 0,
    /** The instance refused the call unhandled (TCP: circuit open, bulkhead full); not retried: `cause` is thrown. */
    readonly refused = false,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }

  /** Undici's or Node's error code, for messages. */
  get code(): string | undefined {
    return codeOf(this.cause);
  }
}

/**
 * @internal An answer with a failure status (5xx, 408, 429), thrown through the policies so they count and retry
 * it; with no retry, the call resolves with `response` after all. Its own `Retry-After` is that instance's: it
 * holds the retry (`retryAfter`) only when it goes to that instance again.
 */
export class UpstreamStatusError extends Error {
  override readonly name = 'UpstreamStatusError';

  constructor(
    readonly response: ServiceResponse<{ dump(): Promise<unknown> }>,
    readonly retryable: boolean,
    /** The least wait before the retry, in ms (0: the backoff alone). */
    readonly retryAfter = 0,
  ) {
    super(`${response.instance.id} answered ${response.status}`);
  }

  /** The answer's status, for `retryOn`/`failOn` predicates of a named policy. */
  get status(): number {
    return this.response.status;
  }

  get headers(): ServiceResponse['headers'] {
    return this.response.headers;
  }
}
