import { request as httpRequest } from 'node:http';
import { startHttpUpstream, type HttpUpstream, type UpstreamHandler } from './http-upstream.js';

/** A counting reverse proxy in front of a real HTTP server. */
export interface CountingProxy extends HttpUpstream {
  /** `host:port`, the form `CONSUL_HTTP_ADDR` takes. */
  readonly addr: string;
  /** How many requests went through whose path (without query) matches. */
  count(pathPrefix?: string): number;
  /** Client connections to the proxy open right now. */
  openConnections(): number;
  /** The most client connections that were open at once. */
  peakConnections(): number;
  /** From now on answer with `handler` instead of forwarding (e.g. garbage); `undefined` forwards again. */
  intercept(handler: UpstreamHandler | undefined): void;
}

/**
 * Starts a reverse proxy on a free loopback port that forwards every request to `target` and records it,
 * so a test can count what a client really sends (for example blocking queries to a Consul agent) and how many
 * connections it opens.
 *
 * @example
 * const proxy = await startCountingProxy(consul.url);
 * // point the app at proxy.addr, wait, then: proxy.count('/v1/health/service/orders')
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let interceptor: UpstreamHandler | undefined;
  const proxy = await startHttpUpstream((incoming, outgoing) => {
    if (interceptor) return interceptor(incoming, outgoing);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end(error.message);
    });
    // A client that gives up (an aborted blocking query) ends the forwarded request too.
    outgoing.once('close', () => forward.destroy());
    incoming.pipe(forward);
  });
  let open = 0;
  let peak = 0;
  proxy.server.on('connection', (socket) => {
    open += 1;
    peak = Math.max(peak, open);
    socket.once('close', () => (open -= 1));
  });
  return Object.assign(proxy, {
    addr: `${new URL(proxy.url).host}`,
    openConnections: () => open,
    intercept: (handler: UpstreamHandler | undefined) => {
      interceptor = handler;
    },
    peakConnections: () => peak,
    count: (pathPrefix = '') => proxy.requests.filter((entry) => entry.url.split('?')[0].startsWith(pathPrefix)).length,
  });
}
