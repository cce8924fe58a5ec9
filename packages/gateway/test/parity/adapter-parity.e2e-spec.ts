import { getFreePort, startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { hashApiKey, type GatewayModuleOptions } from '../../src/index.js';
import { bootGatewayApp, staticDiscovery } from '../support/gateway-app.js';
import { rawExchange, rawRequest } from '../support/raw-request.js';

/** An answer as compared: status, headers without `Date` and the request id, body with its `requestId` left out. */
interface Comparable {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

function comparable(status: number, headers: Record<string, string | string[] | undefined>, text: string): Comparable {
  const { date: _date, 'x-request-id': requestId, ...rest } = headers;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/); // every answer has one (generated here: the client sends none)
  let body: unknown = text;
  if (rest['content-type'] === 'application/problem+json') {
    const problem = JSON.parse(text) as Record<string, unknown>;
    expect(problem.requestId).toBe(requestId);
    delete problem.requestId;
    body = problem;
  }
  // Throttling headers count seconds from each app's own first request: only their presence compares.
  for (const name of ['retry-after', 'ratelimit-reset']) if (status === 429 && rest[name] !== undefined) rest[name] = '<seconds>';
  return { status, headers: rest, body };
}

/** Reads a raw answer (status line, headers, body) off the wire. */
function parseRaw(raw: string): Comparable {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  return comparable(Number(statusLine.split(' ')[1]), headers, raw.slice(end + 4));
}

const KEY = 'sk_parity_0123456789abcdef';

/** Every status of the README's table, and a relayed 200, as one request each. */
const CASES: Record<string, { status: number; send: (gateway: BootedNestApp) => Promise<Comparable> }> = {
  'relayed 200': { status: 200, send: (g) => request(g, '/api/ok') },
  '400 ambiguous framing (Node’s parser)': {
    status: 400,
    send: async (g) => parseRaw(await rawExchange(g.port, 'POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 10_000)),
  },
  '400 ambiguous request target': { status: 400, send: (g) => request(g, '/api/a%2F..%2Fb') },
  '401 no credential': { status: 401, send: (g) => request(g, '/keyed/x') },
  '403 missing scope': { status: 403, send: (g) => request(g, '/scoped/x', { 'x-api-key': KEY }) },
  '404 no route, no controller': { status: 404, send: (g) => request(g, '/nowhere') },
  '408 body stalled': {
    status: 408,
    send: async (g) => parseRaw(await rawExchange(g.port, 'POST /api/stall HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab', 20_000)),
  },
  '413 body over maxBodySize': { status: 413, send: (g) => request(g, '/api/big', {}, 'POST', 'x'.repeat(2_000)) },
  '429 throttled': {
    status: 429,
    send: async (g) => {
      await request(g, '/throttled/x');
      return request(g, '/throttled/x');
    },
  },
  '431 headers over maxHeaderSize (the gateway’s check)': { status: 431, send: (g) => request(g, '/api/x', { 'x-big': 'a'.repeat(5_000) }) },
  '431 headers over Node’s parser limit': {
    status: 431,
    send: async (g) => parseRaw(await rawExchange(g.port, `GET /api/x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 10_000)),
  },
  '500 hook threw': { status: 500, send: (g) => request(g, '/hook/x') },
  '502 upstream unreachable': { status: 502, send: (g) => request(g, '/dead/x') },
  '503 no instance': { status: 503, send: (g) => request(g, '/empty/x') },
  '504 deadline passed': { status: 504, send: (g) => request(g, '/slow/x') },
};

async function request(gateway: BootedNestApp, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Comparable> {
  const answer = await rawRequest(`${gateway.url}${path}`, { method, path, headers, body });
  return comparable(answer.status, answer.headers, answer.body);
}

describe('the same GatewayModule on Express and Fastify answers the same (status, headers, body)', () => {
  let upstream: HttpUpstream;
  const gateways: Record<'express' | 'fastify', BootedNestApp | undefined> = { express: undefined, fastify: undefined };

  beforeAll(async () => {
    upstream = await startHttpUpstream(async (req, res) => {
      for await (const _chunk of req); // the whole body first: a stalled one stalls the answer
      if (req.url?.startsWith('/slow')) await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'yes' }).end('fine');
    });
    const deadPort = await getFreePort();
    const options: GatewayModuleOptions = {
      auth: { apiKeys: [{ id: 'parity', hash: hashApiKey(KEY), scopes: ['read'] }] },
      throttlers: [{ name: 'burst', limit: 1, ttl: 60_000 }],
      limits: { maxHeaderSize: 4_096, bodyTimeout: 500 },
      routes: [
        { id: 'api', prefix: '/api', url: upstream.url, maxBodySize: 1_000, throttle: false },
        { id: 'keyed', prefix: '/keyed', url: upstream.url, auth: 'api-key', throttle: false },
        { id: 'scoped', prefix: '/scoped', url: upstream.url, auth: 'api-key', access: { scopes: ['write'] }, throttle: false },
        { id: 'throttled', prefix: '/throttled', url: upstream.url },
        {
          id: 'hook',
          prefix: '/hook',
          url: upstream.url,
          throttle: false,
          onRequest: () => {
            throw new Error('hook failure');
          },
        },
        { id: 'dead', prefix: '/dead', url: `http://127.0.0.1:${deadPort}`, throttle: false },
        { id: 'empty', prefix: '/empty', service: 'empty', throttle: false },
        { id: 'slow', prefix: '/slow', service: 'slow', timeout: 300, retry: false, throttle: false },
      ],
    };
    const discovery = { registry: 'static' as const, staticServices: { ...staticDiscovery('slow', [upstream]).staticServices, empty: [] } };
    gateways.express = await bootGatewayApp({ platform: 'express', discovery, gateway: options });
    gateways.fastify = await bootGatewayApp({ platform: 'fastify', discovery, gateway: options });
  });
  afterAll(async () => {
    await gateways.express?.close();
    await gateways.fastify?.close();
    await upstream?.close();
  });

  it.each(Object.entries(CASES))('%s', async (_, { status, send }) => {
    const express = await send(gateways.express!);
    const fastify = await send(gateways.fastify!);
    expect(express.status).toBe(status);
    expect(fastify).toEqual(express);
    if (status >= 400) expect(express.headers['content-type']).toBe('application/problem+json');
  });
});
