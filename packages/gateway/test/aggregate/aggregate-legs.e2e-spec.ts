import { activeResources, getFreePort, startConsulAgent, startHttpUpstream, waitFor, type BootedNestApp, type ConsulAgent, type HttpUpstream } from '@nestmesh/testing';
import { request as httpRequest } from 'node:http';
import { hashApiKey, type GatewayModuleOptions } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { enormousReplySockets, startOrdersHybrid, type OrdersHits } from '../support/orders-hybrid.js';
import { rawRequest, type RawAnswer } from '../support/raw-request.js';

const KEY = 'alice-key-0123456789';
type Body = Record<string, unknown> & { errors?: Record<string, { status: number; title: string; detail: string }> };

describe('aggregation routes: HTTP and TCP legs (real Consul, a real hybrid Nest app, real upstream servers)', () => {
  let consul: ConsulAgent;
  let orders: BootedNestApp;
  const hits: OrdersHits = new Map();
  let rates: HttpUpstream;
  let slow: HttpUpstream;
  let broken: HttpUpstream;
  let huge: HttpUpstream;
  let closedPort: number;
  /** Requests of the slow upstream whose connection the gateway closed before the answer. */
  let abandoned = 0;

  beforeAll(async () => {
    consul = await startConsulAgent();
    orders = await startOrdersHybrid(consul.httpAddr, hits);
    rates = await startHttpUpstream();
    slow = await startHttpUpstream(async (_req, res) => {
      res.once('close', () => {
        if (!res.writableFinished) abandoned += 1;
      });
      await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"late":true}');
    });
    // ?kind= picks the failure: a 500, a 200 that is not JSON, JSON that does not parse.
    broken = await startHttpUpstream((req, res) => {
      const kind = new URL(req.url ?? '/', 'http://x').searchParams.get('kind');
      if (kind === '500') res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"db down at 10.1.2.3"}');
      else if (kind === 'html') res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hi</h1>');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"truncated":');
    });
    // 64 KiB of JSON, with and without Content-Length.
    huge = await startHttpUpstream((req, res) => {
      const text = JSON.stringify({ blob: 'x'.repeat(64 * 1024) });
      if (req.url?.includes('chunked')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(text.slice(0, 1000));
        res.end(text.slice(1000));
      } else res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    });
    closedPort = await getFreePort();
  });
  afterAll(async () => {
    for (const upstream of [rates, slow, broken, huge]) await upstream?.close();
    await orders?.close();
    await consul?.stop();
  });

  const options = (): GatewayModuleOptions => ({
    routes: [
      {
        id: 'dashboard',
        path: '/api/dashboard',
        auth: 'api-key',
        aggregate: {
          legs: {
            orders: { service: 'orders', path: '/orders' },
            stats: { service: 'orders', pattern: 'orders.stats' },
            rates: { url: `${rates.url}/v1/rates?base=EUR` },
          },
        },
      },
      { id: 'seen', path: '/seen/*', auth: 'api-key', requestHeaders: { set: { 'x-route': 'seen' } }, aggregate: { legs: { seen: { service: 'orders', path: '/seen?fixed=1', headers: { 'x-leg': 'yes' } } } } },
      { id: 'slow-leg', path: '/partial/slow', aggregate: { timeout: 2_000, legs: { orders: { service: 'orders', path: '/orders' }, slow: { url: slow.url, timeout: 300 } } } },
      { id: 'refused-leg', path: '/partial/refused', aggregate: { legs: { stats: { service: 'orders', pattern: 'orders.stats' }, refused: { url: `http://127.0.0.1:${closedPort}/x` } } } },
      {
        id: 'bad-answers',
        path: '/partial/bad',
        aggregate: {
          legs: {
            orders: { service: 'orders', path: '/orders' },
            failing: { url: `${broken.url}/?kind=500` },
            html: { url: `${broken.url}/?kind=html` },
            truncated: { url: `${broken.url}/?kind=json` },
            rpc: { service: 'orders', pattern: 'orders.broken' },
            missing: { service: 'orders', path: '/nothing-here' },
          },
        },
      },
      { id: 'huge-leg', path: '/partial/huge', maxResponseSize: 10_000, aggregate: { legs: { stats: { service: 'orders', pattern: 'orders.stats' }, declared: { url: huge.url }, chunked: { url: `${huge.url}/chunked` } } } },
      { id: 'huge-tcp-leg', path: '/partial/huge-tcp', maxResponseSize: 10_000, aggregate: { legs: { stats: { service: 'orders', pattern: 'orders.stats' }, huge: { service: 'orders', pattern: 'orders.huge' } } } },
      { id: 'enormous-tcp-leg', path: '/partial/enormous-tcp', maxResponseSize: 10_000, aggregate: { legs: { stats: { service: 'orders', pattern: 'orders.stats' }, enormous: { service: 'orders', pattern: 'orders.enormous' } } } },
      {
        id: 'silent-tcp-leg',
        path: '/silent-tcp',
        aggregate: { legs: { stats: { service: 'orders', pattern: 'orders.stats' }, nothing: { service: 'orders', pattern: 'orders.nothing' } } },
      },
      { id: 'slow-only', path: '/slow-only', aggregate: { timeout: '30s', legs: { slow: { url: slow.url } } } },
      { id: 'all-fail', path: '/fail/all', aggregate: { legs: { refused: { url: `http://127.0.0.1:${closedPort}/` }, failing: { url: `${broken.url}/?kind=500` }, slow: { url: slow.url, timeout: 300 } } } },
      { id: 'all-late', path: '/fail/late', aggregate: { timeout: 300, legs: { http: { url: slow.url }, tcp: { service: 'orders', pattern: 'orders.slow' } } } },
    ],
    auth: { apiKeys: [{ id: 'alice', hash: hashApiKey(KEY), subject: 'alice', scopes: ['orders:read'] }] },
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({ platform, discovery: { registry: 'consul', consul: { address: consul.httpAddr } }, gateway: options() });
      // Consul reports the orders instance passing after its first health report.
      await waitFor(async () => (await rawRequest(`${gateway.url}/api/dashboard`, { headers: { 'x-api-key': KEY } })).headers['x-nestmesh-completed'] === 'true', { timeout: 20_000, description: 'orders discovered by the gateway' });
    });
    afterAll(() => gateway?.close());

    const get = (path: string, headers: Record<string, string> = {}): Promise<RawAnswer> => rawRequest(`${gateway.url}${path}`, { headers });

    it('merges every leg (HTTP through discovery, TCP to the registered port, a static url) into one JSON answer', async () => {
      const answer = await get('/api/dashboard', { 'x-api-key': KEY });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.headers['x-nestmesh-completed']).toBe('true');
      expect(answer.headers['x-request-id']).toEqual(expect.any(String));
      expect(answer.json()).toEqual({
        orders: [
          { id: 1, item: 'book', quantity: 2 },
          { id: 2, item: 'pen', quantity: 5 },
        ],
        stats: { count: 2, quantity: 7 },
        rates: { ok: true, path: '/v1/rates?base=EUR' },
      });
      const head = await rawRequest(`${gateway.url}/api/dashboard`, { method: 'HEAD', headers: { 'x-api-key': KEY } });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    });

    it('leaves no timer behind once complete answers are sent (each leg timer cleared)', async () => {
      const timers = () => activeResources().Timeout ?? 0;
      const before = timers();
      // 20 answers x 3 legs: uncleared leg timers (3 s) would add 60.
      for (let call = 0; call < 20; call += 1) expect((await get('/api/dashboard', { 'x-api-key': KEY })).headers['x-nestmesh-completed']).toBe('true');
      expect(timers() - before).toBeLessThan(30);
    });

    it('sends the legs the headers a proxied route forwards (identity from the credential, forged ones and hop-by-hop gone), never the request path or query', async () => {
      const answer = await get('/seen/x?fixed=2&admin=true', {
        'x-api-key': KEY,
        'x-user-id': 'root',
        connection: 'x-secret',
        'x-secret': 'hop',
        'accept-encoding': 'gzip',
        'if-none-match': '"v1"',
        'accept-language': 'fr',
      });
      expect(answer.status).toBe(200);
      const seen = answer.json<{ seen: { url: string; headers: Record<string, string> } }>().seen;
      expect(seen.url).toBe('/seen?fixed=1');
      expect(seen.headers).toMatchObject({ 'x-user-id': 'alice', 'x-api-key': KEY, 'x-route': 'seen', 'x-leg': 'yes', 'accept-language': 'fr', accept: 'application/json', 'x-forwarded-for': '127.0.0.1' });
      expect(seen.headers['x-request-id']).toBe(answer.headers['x-request-id']);
      // The leg's time limit (aggregate.timeout's default, 3 s) is the client's deadline: the service is told what is left.
      expect(Number(seen.headers['x-nestmesh-deadline-ms'])).toBeGreaterThan(0);
      expect(Number(seen.headers['x-nestmesh-deadline-ms'])).toBeLessThanOrEqual(3_000);
      for (const name of ['x-secret', 'accept-encoding', 'if-none-match']) expect(seen.headers[name]).toBeUndefined();
    });

    it('answers partially when a leg is too slow: 200, the other legs, errors naming it (504), header false; its call is abandoned', async () => {
      const before = abandoned;
      const answer = await get('/partial/slow');
      expect(answer.status).toBe(200);
      expect(answer.headers['x-nestmesh-completed']).toBe('false');
      expect(answer.headers['cache-control']).toBe('no-store');
      const body = answer.json<Body>();
      expect(body.orders).toHaveLength(2);
      expect(body.slow).toBeUndefined();
      expect(body.errors).toEqual({ slow: { status: 504, title: 'Gateway Timeout', detail: 'The leg did not answer within 300 ms.' } });
      // The slow upstream sees its connection closed (the call aborted), long before its 5 s answer.
      await waitFor(() => abandoned > before, { timeout: 4_000, description: 'the slow leg call aborted' });
    });

    it('cancels the legs under way when the client goes away (long before their 30 s limit)', async () => {
      const [before, received] = [abandoned, slow.requests.length];
      const request = httpRequest({ host: '127.0.0.1', port: gateway.port, path: '/slow-only', agent: false });
      request.on('error', () => undefined);
      request.end();
      await waitFor(() => slow.requests.length > received, { description: 'the leg reached the slow upstream' });
      request.destroy();
      await waitFor(() => abandoned > before, { timeout: 10_000, description: 'the leg call aborted after the client left' });
    });

    it('answers partially when a leg is refused (a closed port): 502 for that leg', async () => {
      const answer = await get('/partial/refused');
      expect(answer.status).toBe(200);
      expect(answer.headers['x-nestmesh-completed']).toBe('false');
      expect(answer.json<Body>()).toEqual({
        stats: { count: 2, quantity: 7 },
        errors: { refused: { status: 502, title: 'Bad Gateway', detail: expect.stringMatching(/could not be reached|failing|available/) } },
      });
    });

    it('fails a leg whose answer is not a usable 2xx JSON, naming the upstream status, never the upstream text', async () => {
      const answer = await get('/partial/bad');
      expect(answer.status).toBe(200);
      const body = answer.json<Body>();
      expect(body.orders).toHaveLength(2);
      expect(body.errors).toEqual({
        failing: { status: 502, title: 'Bad Gateway', detail: 'The upstream answered 500 Internal Server Error.' },
        html: { status: 502, title: 'Bad Gateway', detail: 'The upstream answered 200 without a JSON body.' },
        truncated: { status: 502, title: 'Bad Gateway', detail: 'The upstream answered 200 with a body that is not valid JSON.' },
        rpc: { status: 502, title: 'Bad Gateway', detail: 'The microservice answered the message with an error.' },
        missing: { status: 502, title: 'Bad Gateway', detail: 'The upstream answered 404 Not Found.' },
      });
      expect(answer.body).not.toContain('10.1.2.3');
      expect(answer.body).not.toContain('internal detail');
    });

    it("fails a leg whose body is over the route's maxResponseSize, declared or counted", async () => {
      const answer = await get('/partial/huge');
      expect(answer.status).toBe(200);
      const body = answer.json<Body>();
      expect(body.stats).toEqual({ count: 2, quantity: 7 });
      const tooLarge = { status: 502, title: 'Bad Gateway', detail: 'The upstream answer is larger than this gateway accepts (10000 bytes).' };
      expect(body.errors).toEqual({ declared: tooLarge, chunked: tooLarge });
      expect(answer.body.length).toBeLessThan(10_000);
    });

    it("fails a TCP leg whose reply is over the route's maxResponseSize, and keeps the reply out of the answer", async () => {
      const answer = await get('/partial/huge-tcp');
      expect(answer.status).toBe(200);
      expect(answer.headers['x-nestmesh-completed']).toBe('false');
      const body = answer.json<Body>();
      expect(body.stats).toEqual({ count: 2, quantity: 7 });
      expect(body.errors).toEqual({ huge: { status: 502, title: 'Bad Gateway', detail: "The microservice's reply is larger than this gateway accepts (10000 bytes)." } });
      expect(answer.body.length).toBeLessThan(10_000);
    });

    it('cuts a TCP reply far past every leg limit of its service as it arrives: the connection closes, the leg fails as too large', async () => {
      const answer = await get('/partial/enormous-tcp');
      expect(answer.status).toBe(200);
      const body = answer.json<Body>();
      expect(body.stats).toEqual({ count: 2, quantity: 7 });
      expect(body.errors).toEqual({ enormous: { status: 502, title: 'Bad Gateway', detail: "The microservice's reply is larger than this gateway accepts (10000 bytes)." } });
      // Nest's client would have read all 8 MiB into memory and kept the connection: the gateway closed it instead.
      const socket = enormousReplySockets.at(-1)!;
      await waitFor(() => socket.destroyed, { timeout: 2_000, description: "the gateway closed the connection of the enormous reply" });
      expect((await get('/partial/huge-tcp')).json<Body>().stats).toEqual({ count: 2, quantity: 7 }); // the next message, on a new connection
    });

    it('gives a TCP leg whose handler completes without a value the value null (a complete answer)', async () => {
      const answer = await get('/silent-tcp');
      expect(answer.status).toBe(200);
      expect(answer.headers['x-nestmesh-completed']).toBe('true');
      expect(answer.json<Body>()).toEqual({ stats: { count: 2, quantity: 7 }, nothing: null });
    });

    it('answers a problem+json 502 when every leg fails, naming and listing them', async () => {
      const answer = await get('/fail/all');
      expect(answer.status).toBe(502);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.headers['x-nestmesh-completed']).toBe('false');
      const body = answer.json<Body>();
      expect(body).toMatchObject({ type: 'about:blank', title: 'Bad Gateway', status: 502, instance: '/fail/all' });
      expect(body.detail).toContain('"refused", "failing", "slow"');
      expect(Object.keys(body.errors!)).toEqual(['refused', 'failing', 'slow']);
      expect(body.errors!.slow.status).toBe(504);
    });

    it('answers a problem+json 504 when every leg (HTTP and TCP) runs out of time', async () => {
      const answer = await get('/fail/late');
      expect(answer.status).toBe(504);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      const body = answer.json<Body>();
      expect(body).toMatchObject({ title: 'Gateway Timeout', status: 504 });
      expect(body.errors).toEqual({
        http: { status: 504, title: 'Gateway Timeout', detail: 'The leg did not answer within 300 ms.' },
        tcp: { status: 504, title: 'Gateway Timeout', detail: 'The leg did not answer within 300 ms.' },
      });
    });

    it('answers other methods 405 with Allow, and refuses a request body, calling no leg', async () => {
      const before = hits.get('GET /orders') ?? 0;
      const post = await rawRequest(`${gateway.url}/partial/slow`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe('GET, HEAD');
      expect(post.headers['content-type']).toBe('application/problem+json');
      const withBody = await rawRequest(`${gateway.url}/partial/slow`, { method: 'GET', body: 'hello', headers: { 'content-type': 'text/plain', 'content-length': '5' } });
      expect(withBody.status).toBe(413);
      expect(withBody.json()).toMatchObject({ status: 413, detail: 'An aggregation route takes no request body.' });
      expect(hits.get('GET /orders') ?? 0).toBe(before);
    });
  });
});
