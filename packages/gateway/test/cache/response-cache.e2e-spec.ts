import { startHttpUpstream, startRedisServer, type BootedNestApp, type HttpUpstream, type RedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { hashApiKey, type GatewayModuleOptions } from '../../src/index.js';
import { bootGatewayApp } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

describe('the response cache (opt-in per route)', () => {
  let upstream: HttpUpstream;
  let redis: RedisServer;
  let calls: Map<string, number>;

  beforeAll(async () => {
    redis = await startRedisServer();
    // Answers with the caller's identity; ?cc= sets Cache-Control, ?vary= sets Vary, ?age= sets Age, ?delay= waits.
    upstream = await startHttpUpstream(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      calls.set(url.pathname, (calls.get(url.pathname) ?? 0) + 1);
      const delay = Number(url.searchParams.get('delay') ?? 0);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (url.searchParams.has('cc')) headers['cache-control'] = url.searchParams.get('cc')!;
      if (url.searchParams.has('vary')) headers.vary = url.searchParams.get('vary')!;
      if (url.searchParams.has('age')) headers.age = url.searchParams.get('age')!;
      res.writeHead(200, headers);
      res.end(JSON.stringify({ user: req.headers['x-user-id'] ?? null, lang: req.headers['accept-language'] ?? null, n: calls.get(url.pathname) }));
    });
  });
  beforeEach(() => {
    calls = new Map();
  });
  afterAll(async () => {
    await upstream?.close();
    await redis?.stop();
  });

  const options = (store: 'memory' | 'redis', keyPrefix: string): GatewayModuleOptions => ({
    routes: [
      { id: 'cached', prefix: '/cached', url: upstream.url, auth: 'any', cache: true },
      { id: 'uncached', prefix: '/uncached', url: upstream.url, auth: 'any' },
      { id: 'cached-slow', prefix: '/cached-slow', url: upstream.url, auth: 'any', cache: true, timeout: 300, retry: false },
    ],
    auth: {
      apiKeys: [
        { id: 'alice', hash: hashApiKey('alice-key-0123456789'), subject: 'alice' },
        { id: 'bob', hash: hashApiKey('bob-key-0123456789'), subject: 'bob' },
      ],
    },
    cache: store === 'redis' ? { redis: redis.url, keyPrefix, timeout: 5_000, maxVariants: 3 } : { maxBytes: 1024 * 1024, maxVariants: 3 },
  });

  describe.each<['express' | 'fastify', 'memory' | 'redis']>([
    ['express', 'memory'],
    ['fastify', 'memory'],
    ['fastify', 'redis'],
  ])('on %s, in %s', (platform, store) => {
    let gateway: BootedNestApp;
    const keyPrefix = `test:${platform}:${store}:`;
    beforeAll(async () => {
      gateway = await bootGatewayApp({ platform, gateway: options(store, keyPrefix) });
    });
    afterAll(() => gateway?.close());

    const as = (user: 'alice' | 'bob', path: string, headers: Record<string, string> = {}, method = 'GET') =>
      rawRequest(`${gateway.url}${path}`, { method, headers: { 'x-api-key': `${user}-key-0123456789`, ...headers } });

    it("never serves one user's response to another: a non-public answer is cached per identity", async () => {
      const path = `/cached/private-${store}?cc=max-age%3D60`;
      const first = await as('alice', path);
      expect(first.headers['x-cache']).toBe('MISS');
      const again = await as('alice', path);
      expect(again.headers['x-cache']).toBe('HIT');
      expect(again.json()).toEqual(first.json());
      const bob = await as('bob', path);
      expect(bob.headers['x-cache']).toBe('MISS');
      expect(first.json()).toMatchObject({ user: 'alice', n: 1 });
      expect(bob.json()).toMatchObject({ user: 'bob', n: 2 });
    });

    it('shares public answers (public, s-maxage) between users, serves HEAD from them, and never stores no-store or private ones', async () => {
      const shared = `/cached/public-${store}?cc=public%2C%20max-age%3D60`;
      expect((await as('alice', shared)).headers['x-cache']).toBe('MISS');
      const bob = await as('bob', shared);
      expect(bob.headers['x-cache']).toBe('HIT');
      expect(Number(bob.headers.age)).toBeGreaterThanOrEqual(0);
      const head = await as('bob', shared, {}, 'HEAD');
      expect(head.headers['x-cache']).toBe('HIT');
      expect(head.body).toBe('');
      expect(calls.get(`/cached/public-${store}`)).toBe(1);

      for (const cc of ['no-store', 'private%2C%20max-age%3D60', 'no-cache']) {
        const path = `/cached/never-${cc.length}-${store}?cc=${cc}`;
        await as('alice', path);
        expect((await as('alice', path)).headers['x-cache']).toBe('MISS');
      }
      expect((await as('alice', `/uncached/x-${store}?cc=max-age%3D60`)).headers['x-cache']).toBeUndefined();
      const bypass = await as('alice', shared, { 'cache-control': 'no-cache' });
      expect(bypass.headers['x-cache']).toBe('BYPASS');
    });

    it('keys on Vary headers, keeping several variants of one URL side by side', async () => {
      const path = `/cached/vary-${store}?cc=public%2C%20max-age%3D60&vary=accept-language`;
      const french = await as('alice', path, { 'accept-language': 'fr' });
      expect(french.headers['x-cache']).toBe('MISS');
      expect(french.json()).toMatchObject({ lang: 'fr' });
      const english = await as('alice', path, { 'accept-language': 'en' });
      expect(english.headers['x-cache']).toBe('MISS');
      expect(english.json()).toMatchObject({ lang: 'en' });
      // The English variant did not replace the French one: both are served from the cache now.
      const frenchAgain = await as('bob', path, { 'accept-language': 'fr' });
      expect(frenchAgain.headers['x-cache']).toBe('HIT');
      expect(frenchAgain.json()).toEqual(french.json());
      const englishAgain = await as('alice', path, { 'accept-language': 'en' });
      expect(englishAgain.headers['x-cache']).toBe('HIT');
      expect(englishAgain.json()).toEqual(english.json());
      const none = await as('alice', path);
      expect(none.headers['x-cache']).toBe('MISS');
      expect(none.json()).toMatchObject({ lang: null });
      expect(calls.get(`/cached/vary-${store}`)).toBe(3);
    });

    it('matches Vary on the headers sent upstream: those the gateway sets (X-User-Id) count, those it drops do not', async () => {
      // A public answer that varies on the gateway's own identity header: alice's variant is never bob's.
      const mine = `/cached/vary-user-${store}?cc=public%2C%20max-age%3D60&vary=x-user-id`;
      expect((await as('alice', mine)).json()).toMatchObject({ user: 'alice' });
      const bobs = await as('bob', mine);
      expect(bobs.headers['x-cache']).toBe('MISS');
      expect(bobs.json()).toMatchObject({ user: 'bob' });
      expect((await as('alice', mine)).json()).toMatchObject({ user: 'alice' });
      // A header the client names in Connection never reaches the upstream: it cannot pick (and poison) a variant.
      const greeting = `/cached/vary-dropped-${store}?cc=public%2C%20max-age%3D60&vary=accept-language`;
      const attack = await as('alice', greeting, { 'accept-language': 'fr', connection: 'keep-alive, accept-language' });
      expect(attack.json()).toMatchObject({ lang: null });
      const french = await as('bob', greeting, { 'accept-language': 'fr' });
      expect(french.headers['x-cache']).toBe('MISS');
      expect(french.json()).toMatchObject({ lang: 'fr' });
      expect(calls.get(`/cached/vary-dropped-${store}`)).toBe(2);
    });

    it('keeps only a digest of a Vary header value (Vary: Cookie never puts the session cookie in the store)', async () => {
      const path = `/cached/vary-cookie-${store}?cc=public%2C%20max-age%3D60&vary=cookie`;
      const session = `session=${platform}-${store}-8c1f0a3e5d`;
      const first = await as('alice', path, { cookie: session });
      expect(first.headers['x-cache']).toBe('MISS');
      const again = await as('bob', path, { cookie: session });
      expect(again.headers['x-cache']).toBe('HIT');
      expect(again.json()).toEqual(first.json());
      expect((await as('alice', path, { cookie: 'session=other' })).headers['x-cache']).toBe('MISS');
      expect(calls.get(`/cached/vary-cookie-${store}`)).toBe(2);
      if (store === 'redis') {
        const inspector = new Redis(redis.url);
        try {
          const keys = await inspector.keys(`${keyPrefix}*vary-cookie-*`);
          expect(keys).toHaveLength(3); // the URL's variant index and two variants
          for (const key of keys) expect((await inspector.getBuffer(key))!.toString('latin1')).not.toContain('8c1f0a3e5d');
        } finally {
          inspector.disconnect();
        }
      }
    });

    it('keeps a bounded number of variants per URL, dropping the least recently stored', async () => {
      const path = `/cached/variants-${store}?cc=public%2C%20max-age%3D60&vary=accept-language`;
      for (let index = 0; index < 4; index += 1) await as('alice', path, { 'accept-language': `l${index}` });
      expect((await as('alice', path, { 'accept-language': 'l0' })).headers['x-cache']).toBe('MISS'); // over maxVariants (3): dropped
      for (const lang of ['l2', 'l3', 'l0']) expect((await as('alice', path, { 'accept-language': lang })).headers['x-cache']).toBe('HIT');
    });

    it('stores each variant of concurrent misses that vary', async () => {
      const path = `/cached/concurrent-variants-${store}?cc=public%2C%20max-age%3D60&vary=accept-language&delay=100`;
      await Promise.all([as('alice', path, { 'accept-language': 'fr' }), as('alice', path, { 'accept-language': 'en' })]);
      for (const lang of ['fr', 'en']) expect((await as('alice', path, { 'accept-language': lang })).headers['x-cache']).toBe('HIT');
      expect(calls.get(`/cached/concurrent-variants-${store}`)).toBe(2);
    });

    it('never stores an answer with Vary: *', async () => {
      const path = `/cached/vary-star-${store}?cc=public%2C%20max-age%3D60&vary=*`;
      await as('alice', path);
      expect((await as('alice', path)).headers['x-cache']).toBe('MISS');
      expect(calls.get(`/cached/vary-star-${store}`)).toBe(2);
    });

    it('makes one upstream request for concurrent misses of one key', async () => {
      const path = `/cached/burst-${store}?cc=public%2C%20max-age%3D60&delay=200`;
      const answers = await Promise.all(Array.from({ length: 20 }, () => as('alice', path)));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(calls.get(`/cached/burst-${store}`)).toBe(1);
      expect(answers.filter((answer) => answer.headers['x-cache'] === 'MISS')).toHaveLength(1);
    });

    it("counts the upstream's Age: a hit's Age goes on from it, and an answer as old as its max-age is not stored", async () => {
      const aged = `/cached/aged-${store}?cc=public%2C%20max-age%3D60&age=30`;
      expect((await as('alice', aged)).headers.age).toBe('30');
      const hit = await as('alice', aged);
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(Number(hit.headers.age)).toBeGreaterThanOrEqual(30);
      const stale = `/cached/stale-${store}?cc=public%2C%20max-age%3D60&age=60`;
      await as('alice', stale);
      expect((await as('alice', stale)).headers['x-cache']).toBe('MISS');
    });

    it("fails the misses waiting on a leader that timed out alike, instead of each asking again with its own deadline", async () => {
      const path = `/cached-slow/late-${store}?cc=public%2C%20max-age%3D60&delay=1500`;
      const answers = await Promise.all(Array.from({ length: 5 }, () => as('alice', path)));
      expect(answers.map((answer) => answer.status)).toEqual([504, 504, 504, 504, 504]);
      expect(calls.get(`/cached-slow/late-${store}`)).toBe(1);
    });

    it('lets no HEAD lead concurrent misses: it stores nothing, so the GETs behind it would all go upstream', async () => {
      const path = `/cached/head-first-${store}?cc=public%2C%20max-age%3D60&delay=200`;
      const head = as('alice', path, {}, 'HEAD');
      await new Promise((resolve) => setTimeout(resolve, 50)); // the HEAD is on its way upstream
      const answers = await Promise.all(Array.from({ length: 10 }, () => as('alice', path)));
      expect((await head).status).toBe(200);
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(calls.get(`/cached/head-first-${store}`)).toBe(2); // the HEAD's, and one GET's for all ten
    });
  });
});
