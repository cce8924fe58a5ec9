import type { Readable } from 'node:stream';

/** What a request may carry as its body. Plain objects (and arrays) are sent as JSON. */
export type ServiceRequestBody = string | Buffer | Uint8Array | Readable | AsyncIterable<Uint8Array> | Record<string, unknown> | unknown[] | null;

/** Options of one call (everything but method, path and body for the helpers). */
export interface ServiceRequestOptions {
  /** Query parameters, appended to `path`. */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number | boolean> | undefined>;
  /** Request headers (lower or mixed case). An `Idempotency-Key` makes a non-idempotent method retryable. */
  headers?: Record<string, string | string[] | undefined>;
  /** Cancels the call (every attempt, any backoff, a wait for a pool connection) when aborted: it rejects at once with the signal's reason. */
  signal?: AbortSignal;
  /** Routing key of the `consistent-hash` strategy (a user id, a header, a cookie). Ignored by the others. */
  key?: string;
  /** Overall deadline of this call in ms (at most 2147483647), replacing the service's `deadline` option. */
  timeout?: number;
}

/**
 * A call: `ServiceClient.request({ method: 'GET', path: '/orders/1' })`.
 * A stream body is sent as it is read (never buffered whole), so such a call is retried only when its
 * connection failed before anything was read from the stream.
 */
export interface ServiceRequest extends ServiceRequestOptions {
  /** HTTP method, e.g. `'GET'`. */
  method: string;
  /** Path on the instance, starting with `/`, e.g. `/orders/42`; may carry a query string. */
  path: string;
  /** The body (see {@link ServiceRequestBody}). */
  body?: ServiceRequestBody;
}
