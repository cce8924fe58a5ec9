import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';

/**
 * What we use of the `consul` package (2.x), whose own types omit the per-call `timeout` and `ctx` and the raw
 * request methods. Internal: nothing of `consul` reaches the published `.d.ts` files. @internal
 */
export interface ConsulCallOptions {
  /** Milliseconds for the whole call (papi aborts the request after it). */
  timeout: number;
  /** Cancellation: emitting `cancel` aborts the request; `includeResponse` makes calls resolve `[response, ...]`. */
  ctx: EventEmitter & { includeResponse: true; canceled?: boolean };
  dc?: string;
  index?: number;
  wait?: string;
}

/** A raw request of the client (papi's `_get` / `_put`), for endpoints the package has no method for. @internal */
export interface ConsulRawRequest extends Pick<ConsulCallOptions, 'timeout' | 'ctx'> {
  name: string;
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  type?: 'json';
  body?: unknown;
}

/** A Consul answer as papi hands it over: the response with its decoded body. @internal */
export type ConsulRawResponse = IncomingMessage & { body?: unknown };

/** The `consul` client methods we call. @internal */
export interface ConsulClient {
  health: { service(options: ConsulCallOptions & { service: string }): Promise<unknown> };
  status: { leader(options: ConsulCallOptions): Promise<unknown> };
  agent: {
    service: {
      deregister(options: ConsulCallOptions & { id: string }): Promise<unknown>;
      maintenance(options: ConsulCallOptions & { id: string; enable: boolean; reason?: string }): Promise<unknown>;
    };
  };
  _get(request: ConsulRawRequest): Promise<unknown>;
  _put(request: ConsulRawRequest): Promise<unknown>;
  destroy(): void;
  /** papi's parsed options: `baseUrl.hostname` goes to http.request as it is. */
  _opts: { baseUrl: { hostname: string } };
}

/** papi's error for a non-2xx answer, an unparsable body, a timeout or an abort. @internal */
export interface PapiError extends Error {
  isResponse?: boolean;
  isCodec?: boolean;
  isTimeout?: boolean;
  isAbort?: boolean;
  response?: ConsulRawResponse;
}
