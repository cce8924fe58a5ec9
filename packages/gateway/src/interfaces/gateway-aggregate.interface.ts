import type { Duration } from '@nestmesh/discovery';

/**
 * One leg of an aggregation route: an HTTP call (`service` + `path`, or `url`) or a `@nestjs/microservices` TCP
 * message (`service` + `pattern`). Its value in the answer is the parsed JSON body of a 2xx HTTP answer, or the TCP
 * reply.
 *
 * @example
 * { service: 'orders', path: '/orders' }              // HTTP, GET, through @nestmesh/client
 * { url: 'http://10.0.0.7:8080/v1/stats' }           // HTTP to a static origin
 * { service: 'orders', pattern: 'orders.stats' }     // TCP, ServiceClientProxy.send()
 */
export interface GatewayAggregateLeg {
  /** Discovered service called (over HTTP with `path`, over TCP with `pattern`). Exactly one of `service` / `url`. */
  service?: string;
  /** Static HTTP URL called (origin, path, optional query), instead of `service`. No default. */
  url?: string;
  /** Path (and optional query) called on the service's instance, as written: nothing of the incoming request is added. Required for an HTTP `service` leg. */
  path?: string;
  /** HTTP method of the call, sent without a body. Default `'GET'`. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Headers set on the HTTP call, over the ones forwarded from the request. Default none. */
  headers?: Record<string, string>;
  /** A `@nestjs/microservices` message pattern (a string or an object such as `{ cmd: 'stats' }`): makes the leg a TCP message to `service`. */
  pattern?: string | Record<string, unknown>;
  /** The payload of the TCP message. Default `{}`. */
  data?: unknown;
  /** The leg's time limit (ms, or a duration such as `'500ms'`, `'2s'`): past it the call is cancelled and the leg fails with 504. Default: the aggregate's `timeout`. */
  timeout?: Duration;
}

/**
 * What an aggregation route calls instead of forwarding the request: several legs in parallel, each within its
 * timeout, merged into one JSON object `{ "<leg>": <value>, ... }`.
 *
 * @example
 * { legs: { orders: { service: 'orders', path: '/orders' }, stats: { service: 'orders', pattern: 'orders.stats' } }, timeout: 2_000 }
 */
export interface GatewayAggregate {
  /** The legs by name (the answer's member names). At least one; `errors` is reserved for the failed legs. */
  legs: Record<string, GatewayAggregateLeg>;
  /** Default time limit of each leg (ms, or a duration such as `'2s'`). Default `3000` (ms). */
  timeout?: Duration;
}
