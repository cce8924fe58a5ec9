import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A plain HTTP server on loopback that records what it was asked. */
export interface HttpUpstream {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Method and URL of every request received, in order. */
  readonly requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

/** Handles one request of an {@link HttpUpstream}. */
export type UpstreamHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/**
 * Starts a plain `node:http` server on a free loopback port. By default it answers
 * `200 {"ok":true,"path":...}`.
 *
 * @example
 * const upstream = await startHttpUpstream((req, res) => res.writeHead(503).end());
 */
export async function startHttpUpstream(handler?: UpstreamHandler, host = '127.0.0.1'): Promise<HttpUpstream> {
  const requests: HttpUpstream['requests'] = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers });
    if (handler) {
      Promise.resolve(handler(request, response)).catch((error: Error) => {
        if (!response.headersSent) response.writeHead(500);
        response.end(String(error?.message ?? error));
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, path: request.url }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts `count` {@link startHttpUpstream} servers with the same handler (it receives the upstream's index).
 *
 * @example
 * const upstreams = await startHttpUpstreams(3, (index) => (req, res) => res.end(String(index)));
 */
export async function startHttpUpstreams(count: number, handler?: (index: number) => UpstreamHandler): Promise<HttpUpstream[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => startHttpUpstream(handler?.(index))));
}
