import { getFreePort, startHttpUpstream, type BootedNestApp, type HttpUpstream, type UpstreamHandler } from '@nestmesh/testing';
import type { ServerResponse } from 'node:http';
import { request } from 'undici';
import type { GatewayRoute } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

/**
 * Deadline of every route: the upstreams that stall hold their answer far longer (until the test ends). Generous, so
 * that on a loaded machine a reset's retries never reach it (one run saw 504 instead of 502 at 1.5 s).
 */
const ROUTE_TIMEOUT = 3_000;
const MAX_RESPONSE_SIZE = 1_024;

/** Answers held open by a stalling upstream, ended when the suite ends. */
const held = new Set<ServerResponse>();

/** How each failing upstream behaves (`refused` has no server: a closed loopback port). */
const FAILURES: Record<string, UpstreamHandler | undefined> = {
  refused: undefined,
  reset: (req) => void req.socket.destroy(),
  'timeout-before-headers': (_req, res) => void held.add(res),
  'timeout-mid-body': (_req, res) => {
    held.add(res);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
    res.write('the first bytes, then nothing');
  },
  malformed: (req) => void req.socket.end('this is not HTTP at all\r\n\r\n'),
  // A coding the gateway would not undo: relayed as plain chunks, the client would take gzip bytes for the body.
  'transfer-coding': (req) => void req.socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'),
  'over-size': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(MAX_RESPONSE_SIZE * 64) }).end(Buffer.alloc(MAX_RESPONSE_SIZE * 64, 'x')),
};
const CASES = Object.keys(FAILURES);

/** What the client got: the status and the problem (minus what names the request), or how its body ended. */
interface Outcome {
  status: number;
  contentType: string | undefined;
  retryAfter: string | undefined;
  problem?: Record<string, unknown>;
  body?: 'ended-early';
}

async function outcomeOf(url: string): Promise<Outcome> {
  const answer = await request(url, { headersTimeout: 60_000, bodyTimeout: 60_000 });
  const head = { status: answer.statusCode, contentType: answer.headers['content-type'] as string | undefined, retryAfter: answer.headers['retry-after'] as string | undefined };
  let text: string;
  try {
    text = await answer.body.text();
  } catch {
    return { ...head, body: 'ended-early' };
  }
  const { instance: _instance, requestId: _requestId, ...problem } = JSON.parse(text) as Record<string, unknown>;
  return { ...head, problem };
}

describe('the same upstream failure gives the same answer on a static url route and a service route', () => {
  const upstreams: Record<string, { port: number; server?: HttpUpstream }> = {};
  beforeAll(async () => {
    for (const name of CASES) {
      const handler = FAILURES[name];
      if (handler === undefined) upstreams[name] = { port: await getFreePort() };
      else {
        const server = await startHttpUpstream(handler);
        upstreams[name] = { port: server.port, server };
      }
    }
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    await Promise.all(Object.values(upstreams).map((upstream) => upstream.server?.close()));
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      const hook = () => undefined;
      const routes: GatewayRoute[] = CASES.flatMap((name): GatewayRoute[] => {
        const url = `http://127.0.0.1:${upstreams[name].port}`;
        return [
          { id: `url-${name}`, prefix: `/url/${name}`, url, timeout: ROUTE_TIMEOUT },
          { id: `url-hook-${name}`, prefix: `/url-hook/${name}`, url, timeout: ROUTE_TIMEOUT, onResponse: hook },
          { id: `svc-${name}`, prefix: `/svc/${name}`, service: `matrix-${name}`, timeout: ROUTE_TIMEOUT },
          { id: `svc-hook-${name}`, prefix: `/svc-hook/${name}`, service: `matrix-${name}`, timeout: ROUTE_TIMEOUT, onResponse: hook },
        ];
      });
      // One instance per service, on the same upstream as its url route.
      const staticServices = Object.fromEntries(CASES.map((name) => [`matrix-${name}`, [{ id: `matrix-${name}-0`, address: '127.0.0.1', port: upstreams[name].port }]]));
      gateway = await bootGatewayApp({ platform, discovery: { registry: 'static', staticServices }, gateway: { routes, limits: { maxResponseSize: MAX_RESPONSE_SIZE } } });
    });
    afterAll(() => gateway?.close());

    describe.each([
      ['relayed answer', '/url', '/svc'],
      ['answer read for a response hook', '/url-hook', '/svc-hook'],
    ])('%s', (_, urlPrefix, servicePrefix) => {
      it.each(CASES)('%s', async (name) => {
        const [viaUrl, viaService] = await Promise.all([outcomeOf(`${gateway.url}${urlPrefix}/${name}/x`), outcomeOf(`${gateway.url}${servicePrefix}/${name}/x`)]);
        expect(viaUrl).toEqual(viaService);
        if (name === 'timeout-mid-body') {
          // The head went to the client before the body stalled (relayed, or streamed through the hook): once the
          // silence passes the route's timeout the client's answer ends early, it never completes nor hangs.
          expect(viaUrl).toEqual({ status: 200, contentType: 'text/plain', retryAfter: undefined, body: 'ended-early' });
          return;
        }
        expect(viaUrl.contentType).toMatch(/^application\/problem\+json/);
        expect(viaUrl.status).toBe(name.startsWith('timeout') ? 504 : 502);
        expect(viaUrl.problem).toMatchObject({ status: viaUrl.status });
      });
    });
  });
});
