import type { UpstreamHandler } from './http-upstream.js';

/** What a server that is not Consul answers: an HTML page, or a body that claims JSON but is not. */
export type GarbageKind = 'html' | 'broken-json';

/**
 * A handler that answers every request `200` with garbage of `kind`, for tests that check a client does not take
 * just any HTTP server for Consul. A real Consul agent cannot answer garbage, so this is the one place a stand-in
 * is needed: use it with {@link startHttpUpstream} or a counting proxy's `intercept()`.
 *
 * @example
 * const notConsul = await startHttpUpstream(garbageHandler('html'));
 */
export function garbageHandler(kind: GarbageKind): UpstreamHandler {
  return (_request, response) => {
    if (kind === 'html') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>');
    else response.writeHead(200, { 'content-type': 'application/json' }).end('{"Service": [ {"ID": "orders-1", ');
  };
}
