/**
 * `@nestmesh/client/relay`: the client's contract with `@nestmesh/gateway`, kept out of the root API. A gateway
 * relays an upstream answer straight into its own response, without a body stream in between:
 * `ServiceClient.relay(request, sink)` sends a request like `request()` (same balancing, resilience and deadline)
 * and hands the answer it settles on to a {@link RelaySink}. Covered by semver like the root entry point.
 *
 * @example
 * // RelaySink, from this entry point:
 * const sink: RelaySink = { start: (status, exchange) => res.writeHead(status, exchange.headers), write: (chunk) => res.write(chunk), end: () => res.end(), fail: (error) => res.destroy(error) };
 * await clients.get('orders').relay({ method: 'GET', path: '/orders/42' }, sink);
 */
export { AbortTarget } from './request/abort-target.js';
export { RelayAttempt, type RelayExchange, type RelaySink } from './request/relay-attempt.js';
export { parseRawHeaders } from './request/raw-headers.js';
export { continueSkippingConnector } from './pools/unsolicited-continue.js';
export type { EndpointLease } from './balancer/endpoint-lease.js';
