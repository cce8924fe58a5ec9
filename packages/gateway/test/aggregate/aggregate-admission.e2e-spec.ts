import { Controller, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { bootNestMicroservice, getFreePort, startHttpUpstream, type BootedNestApp, type BootedNestMicroservice, type HttpUpstream } from '@nestmesh/testing';
import { hashApiKey, type GatewayModuleOptions } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

const READER = 'reader-key-0123456789';
const NOBODY = 'nobody-key-0123456789';

/** Messages the stats microservice handled. */
let tcpHits = 0;

@Controller()
class StatsController {
  @MessagePattern('stats')
  stats() {
    tcpHits += 1;
    return { count: tcpHits };
  }
}

@Module({ controllers: [StatsController] })
class StatsModule {}

describe('aggregation routes: admission before any leg, and the response cache (real upstream, real TCP microservice)', () => {
  let upstream: HttpUpstream;
  let stats: BootedNestMicroservice;
  let closedPort: number;
  /** HTTP leg calls by path. */
  const httpHits = () => upstream.requests.length;

  beforeAll(async () => {
    // ?cc= sets Cache-Control; the body counts the calls, so a cached answer shows the count it was stored with.
    upstream = await startHttpUpstream((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (url.searchParams.has('cc')) headers['cache-control'] = url.searchParams.get('cc')!;
      res.writeHead(200, headers).end(JSON.stringify({ calls: upstream.requests.length, user: req.headers['x-user-id'] ?? null }));
    });
    stats = await bootNestMicroservice(StatsModule);
    closedPort = await getFreePort();
  });
  afterAll(async () => {
    await upstream?.close();
    await stats?.close();
  });

  const options = (): GatewayModuleOptions => {
    const legs = { data: { service: 'data', path: '/data?cc=max-age%3D60' }, stats: { service: 'stats', pattern: 'stats' } };
    return {
      routes: [
        { id: 'dash', path: '/dash', auth: 'api-key', access: { scopes: ['orders:read'] }, throttle: { default: { limit: 2 } }, aggregate: { legs } },
        { id: 'cached', path: '/cached', auth: 'api-key', cache: true, throttle: false, aggregate: { legs } },
        { id: 'cached-partial', path: '/cached-partial', auth: 'api-key', cache: true, throttle: false, aggregate: { legs: { ...legs, refused: { url: `http://127.0.0.1:${closedPort}/` } } } },
        { id: 'public-tcp', path: '/public-tcp', cache: { defaultTtl: 60_000 }, throttle: false, aggregate: { legs: { stats: legs.stats } } },
      ],
      auth: {
        apiKeys: [
          { id: 'reader', hash: hashApiKey(READER), subject: 'reader', scopes: ['orders:read'] },
          { id: 'nobody', hash: hashApiKey(NOBODY), subject: 'nobody' },
        ],
      },
      throttlers: [{ name: 'default', limit: 100, ttl: 60_000 }],
    };
  };

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        discovery: {
          registry: 'static',
          staticServices: { data: [{ address: '127.0.0.1', port: upstream.port }], stats: [{ address: '127.0.0.1', port: 1, ports: { tcp: stats.port } }] },
        },
        gateway: options(),
      });
    });
    afterAll(() => gateway?.close());

    const get = (path: string, key?: string) => rawRequest(`${gateway.url}${path}`, { headers: key ? { 'x-api-key': key } : {} });

    it('refuses with 401, 403 and 429 before any leg is called', async () => {
      const [http, tcp] = [httpHits(), tcpHits];
      const anonymous = await get('/dash');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBeDefined();
      expect((await get('/dash', 'wrong-key-0123456789')).status).toBe(401);
      expect((await get('/dash', NOBODY)).status).toBe(403);
      expect([httpHits(), tcpHits]).toEqual([http, tcp]);

      for (let call = 0; call < 2; call += 1) {
        const admitted = await get('/dash', READER);
        expect(admitted.status).toBe(200);
        expect(admitted.headers['x-nestmesh-completed']).toBe('true');
        expect(admitted.headers['ratelimit-limit']).toBe('2');
        expect(admitted.json()).toMatchObject({ data: { user: 'reader' }, stats: { count: expect.any(Number) } });
      }
      expect([httpHits(), tcpHits]).toEqual([http + 2, tcp + 2]);
      const throttled = await get('/dash', READER);
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBeDefined();
      expect([httpHits(), tcpHits]).toEqual([http + 2, tcp + 2]);
    });

    it('serves a second request from the cache (the legs allowed it), per caller', async () => {
      const [http, tcp] = [httpHits(), tcpHits];
      const first = await get('/cached', READER);
      expect(first.status).toBe(200);
      expect(first.headers['x-cache']).toBe('MISS');
      expect(first.headers['cache-control']).toBe('max-age=60');
      const second = await get('/cached', READER);
      expect(second.status).toBe(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.headers['x-nestmesh-completed']).toBe('true');
      expect(second.body).toBe(first.body);
      // A HEAD served from the entry says the GET's length (RFC 9110 §9.3.2), not that of the empty body it sends.
      const head = await rawRequest(`${gateway.url}/cached`, { method: 'HEAD', headers: { 'x-api-key': READER } });
      expect([head.status, head.headers['x-cache'], head.headers['content-length'], head.body]).toEqual([200, 'HIT', String(Buffer.byteLength(first.body)), '']);
      expect([httpHits(), tcpHits]).toEqual([http + 1, tcp + 1]);
      // Another caller never gets this caller's entry (the data leg answered it in person).
      const other = await get('/cached', NOBODY);
      expect(other.headers['x-cache']).toBe('MISS');
      expect(other.json()).toMatchObject({ data: { user: 'nobody' } });
    });

    it('never caches a partial answer', async () => {
      const http = httpHits();
      for (let call = 0; call < 2; call += 1) {
        const partial = await get('/cached-partial', READER);
        expect(partial.status).toBe(200);
        expect(partial.headers['x-nestmesh-completed']).toBe('false');
        expect(partial.headers['x-cache']).toBe('MISS');
        expect(partial.headers['cache-control']).toBe('no-store');
        expect(Object.keys(partial.json<{ errors: object }>().errors)).toEqual(['refused']);
      }
      expect(httpHits()).toBe(http + 2);
    });

    it("applies the route's defaultTtl to an answer no leg gave caching rules for (anonymous request)", async () => {
      const tcp = tcpHits;
      const first = await get('/public-tcp');
      const second = await get('/public-tcp');
      expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
      expect(second.json()).toEqual(first.json());
      expect(tcpHits).toBe(tcp + 1);
    });
  });
});
