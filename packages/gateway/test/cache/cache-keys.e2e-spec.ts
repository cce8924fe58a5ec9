import { startHttpUpstream, startRedisServer, type BootedNestApp, type HttpPlatform, type HttpUpstream, type RedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { SignJWT, type JWTPayload } from 'jose';
import { hashApiKey, type GatewayModuleOptions } from '../../src/index.js';
import { bootGatewayApp } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

const SECRET = 'cache-keys-test-secret-0123456789abcdef';
const sign = (claims: JWTPayload) =>
  new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));

// Issue #14: the response cache must not serve one caller's answer to another. Every answer below is one an
// attacker would like another caller to get (or to get another caller's), so each test asks as two callers.
describe('response cache keys (Host, whole identity, Cookie)', () => {
  let upstream: HttpUpstream;
  let redis: RedisServer;
  let calls: Map<string, number>;

  beforeAll(async () => {
    redis = await startRedisServer();
    // Answers with what it was told of the caller (host, scheme, cookie, identity); ?cc= sets Cache-Control.
    upstream = await startHttpUpstream((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      calls.set(url.pathname, (calls.get(url.pathname) ?? 0) + 1);
      const payload = req.headers.authorization?.split('.')[1];
      const claims = payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload) : {};
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (url.searchParams.has('cc')) headers['cache-control'] = url.searchParams.get('cc')!;
      res.writeHead(200, headers);
      res.end(
        JSON.stringify({
          link: `${req.headers['x-forwarded-proto']}://${req.headers['x-forwarded-host']}${url.pathname}`,
          cookie: req.headers.cookie ?? null,
          clientId: claims.client_id ?? claims.azp ?? null,
          apiKeyId: req.headers['x-api-key-id'] ?? null,
          n: calls.get(url.pathname),
        }),
      );
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
      { id: 'open', prefix: '/open', url: upstream.url, cache: true },
      { id: 'defaults', prefix: '/defaults', url: upstream.url, auth: 'public', cache: { defaultTtl: 60_000 } },
      { id: 'callers', prefix: '/callers', url: upstream.url, auth: 'any', cache: true },
    ],
    // The test client (loopback) is the trusted proxy, so X-Forwarded-Proto/-Host are believed when sent.
    trustedProxies: 'loopback',
    auth: {
      jwt: { secret: SECRET },
      apiKeys: [
        // Two keys of one subject, with different rights: the upstream may answer each differently.
        { id: 'reader', hash: hashApiKey('reader-key-0123456789'), subject: 'svc', scopes: ['read'] },
        { id: 'admin', hash: hashApiKey('admin-key-0123456789'), subject: 'svc', scopes: ['read', 'admin'] },
        { id: 'no-subject', hash: hashApiKey('nosub-key-0123456789') },
      ],
    },
    cache: store === 'redis' ? { redis: redis.url, keyPrefix, timeout: 5_000 } : { maxBytes: 1024 * 1024 },
  });

  describe.each<[HttpPlatform, 'memory' | 'redis']>([
    ['express', 'memory'],
    ['fastify', 'memory'],
    ['express', 'redis'],
    ['fastify', 'redis'],
  ])('on %s, in %s', (platform, store) => {
    let gateway: BootedNestApp;
    const keyPrefix = `keys:${platform}:${store}:`;
    const tag = `${platform}-${store}`;
    beforeAll(async () => {
      gateway = await bootGatewayApp({ platform, gateway: options(store, keyPrefix) });
    });
    afterAll(() => gateway?.close());

    const get = (path: string, headers: Record<string, string> = {}, method = 'GET', target?: string) => rawRequest(`${gateway.url}${path}`, { method, headers, path: target });

    describe('Host', () => {
      it('keys on the Host the client sent: Host: evil.example never poisons the entry of api.example.com', async () => {
        const path = `/open/host-${tag}?cc=public%2C%20max-age%3D60`;
        const evil = await get(path, { host: 'evil.example' });
        expect(evil.headers['x-cache']).toBe('MISS');
        expect(evil.json()).toMatchObject({ link: `http://evil.example/open/host-${tag}` });
        const victim = await get(path, { host: 'api.example.com' });
        expect(victim.headers['x-cache']).toBe('MISS');
        expect(victim.json()).toMatchObject({ link: `http://api.example.com/open/host-${tag}`, n: 2 });
        expect((await get(path, { host: 'evil.example' })).json()).toMatchObject({ link: `http://evil.example/open/host-${tag}`, n: 1 });
        expect(calls.get(`/open/host-${tag}`)).toBe(2);
      });

      it('keys an absolute-form request on the host its target names, Host ignored (RFC 9112 §3.2.2), as the upstream is told', async () => {
        const path = `/open/absolute-${tag}?cc=public%2C%20max-age%3D60`;
        const named = await get(`/`, { host: 'evil.example' }, 'GET', `http://api.example.com${path}`);
        expect(named.headers['x-cache']).toBe('MISS');
        expect(named.json()).toMatchObject({ link: `http://api.example.com/open/absolute-${tag}`, n: 1 });
        const plain = await get(path, { host: 'api.example.com' });
        expect(plain.headers['x-cache']).toBe('HIT');
        const evil = await get(path, { host: 'evil.example' });
        expect(evil.headers['x-cache']).toBe('MISS');
        expect(evil.json()).toMatchObject({ link: `http://evil.example/open/absolute-${tag}`, n: 2 });
      });

      it('normalises the Host: case and the default port of the scheme do not matter, another port does', async () => {
        const path = `/open/host-normal-${tag}?cc=public%2C%20max-age%3D60`;
        expect((await get(path, { host: 'api.example.com' })).headers['x-cache']).toBe('MISS');
        for (const host of ['API.example.com:80', 'Api.Example.Com']) {
          const same = await get(path, { host });
          expect(same.headers['x-cache']).toBe('HIT');
          expect(same.json()).toMatchObject({ link: `http://api.example.com/open/host-normal-${tag}`, n: 1 });
        }
        const otherPort = await get(path, { host: 'api.example.com:8080' });
        expect(otherPort.headers['x-cache']).toBe('MISS');
        expect(otherPort.json()).toMatchObject({ link: `http://api.example.com:8080/open/host-normal-${tag}` });
        // 443 is the default port of https only: over http it is another origin.
        expect((await get(path, { host: 'api.example.com:443' })).headers['x-cache']).toBe('MISS');
        expect(calls.get(`/open/host-normal-${tag}`)).toBe(3);
      });

      it('keys on the scheme and host a trusted proxy forwarded, 443 being the default port of https', async () => {
        const path = `/open/forwarded-${tag}?cc=public%2C%20max-age%3D60`;
        const https = await get(path, { host: 'internal:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' });
        expect(https.headers['x-cache']).toBe('MISS');
        expect(https.json()).toMatchObject({ link: `https://api.example.com/open/forwarded-${tag}` });
        const again = await get(path, { host: 'internal:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'API.EXAMPLE.COM:443' });
        expect(again.headers['x-cache']).toBe('HIT');
        // The same host over http is another origin: its links say http.
        const http = await get(path, { host: 'api.example.com' });
        expect(http.headers['x-cache']).toBe('MISS');
        expect(http.json()).toMatchObject({ link: `http://api.example.com/open/forwarded-${tag}` });
        // The forwarded host counts, not the proxy's own Host.
        expect((await get(path, { host: 'internal:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' })).headers['x-cache']).toBe('MISS');
        expect(calls.get(`/open/forwarded-${tag}`)).toBe(3);
      });
    });

    describe('the whole verified identity', () => {
      it.each([
        ['client_id', 'max-age%3D60'],
        ['azp', 'max-age%3D60'],
        ['client_id', 'private%2C%20max-age%3D60'],
      ])('never serves a token without sub the answer of another %s (%s)', async (claim, cc) => {
        const path = `/callers/clients-${claim}-${cc.length}-${tag}?cc=${cc}`;
        const a = `Bearer ${await sign({ [claim]: 'service-a' })}`;
        const b = `Bearer ${await sign({ [claim]: 'service-b' })}`;
        const first = await get(path, { authorization: a });
        expect(first.json()).toMatchObject({ clientId: 'service-a' });
        const second = await get(path, { authorization: b });
        expect(second.headers['x-cache']).toBe('MISS');
        expect(second.json()).toMatchObject({ clientId: 'service-b' });
        expect((await get(path, { authorization: a })).json()).toMatchObject({ clientId: 'service-a' });
      });

      it('keeps a non-public answer per caller: the same token is served from the cache', async () => {
        const path = `/callers/same-client-${tag}?cc=max-age%3D60`;
        const token = `Bearer ${await sign({ client_id: 'service-a' })}`;
        expect((await get(path, { authorization: token })).headers['x-cache']).toBe('MISS');
        const again = await get(path, { authorization: token });
        expect(again.headers['x-cache']).toBe('HIT');
        expect(again.json()).toMatchObject({ clientId: 'service-a', n: 1 });
      });

      it('never serves one API key the answer of another, even of the same subject or without one', async () => {
        const path = `/callers/keys-${tag}?cc=max-age%3D60`;
        const reader = await get(path, { 'x-api-key': 'reader-key-0123456789' });
        expect(reader.json()).toMatchObject({ apiKeyId: 'reader' });
        const admin = await get(path, { 'x-api-key': 'admin-key-0123456789' });
        expect(admin.headers['x-cache']).toBe('MISS');
        expect(admin.json()).toMatchObject({ apiKeyId: 'admin' });
        const noSubject = await get(path, { 'x-api-key': 'nosub-key-0123456789' });
        expect(noSubject.headers['x-cache']).toBe('MISS');
        expect(noSubject.json()).toMatchObject({ apiKeyId: 'no-subject' });
        // A token whose sub is another caller's key id is not that key either.
        const jwt = await get(path, { authorization: `Bearer ${await sign({ sub: 'reader' })}` });
        expect(jwt.headers['x-cache']).toBe('MISS');
        expect(jwt.json()).toMatchObject({ apiKeyId: null });
        expect((await get(path, { 'x-api-key': 'reader-key-0123456789' })).headers['x-cache']).toBe('HIT');
        expect(calls.get(`/callers/keys-${tag}`)).toBe(4);
      });
    });

    describe('Cookie', () => {
      it('never serves the max-age answer to a request with Cookie to a caller without it, or with another', async () => {
        const path = `/open/cookie-${tag}?cc=max-age%3D60`;
        const alice = await get(path, { cookie: 'session=alice-secret' });
        expect(alice.json()).toMatchObject({ cookie: 'session=alice-secret' });
        const none = await get(path);
        expect(none.headers['x-cache']).toBe('MISS');
        expect(none.json()).toMatchObject({ cookie: null });
        const bob = await get(path, { cookie: 'session=bob-secret' });
        expect(bob.headers['x-cache']).toBe('MISS');
        expect(bob.json()).toMatchObject({ cookie: 'session=bob-secret' });
        // And the other way round: an answer to no cookie is not the answer to one.
        expect((await get(path)).headers['x-cache']).toBe('HIT');
        const carol = await get(path, { cookie: 'session=carol' });
        expect(carol.headers['x-cache']).toBe('MISS');
        expect(carol.json()).toMatchObject({ cookie: 'session=carol' });
        // The caller with the same cookie may have its own answer again.
        const aliceAgain = await get(path, { cookie: 'session=alice-secret' });
        expect(aliceAgain.headers['x-cache']).toBe('HIT');
        expect(aliceAgain.json()).toEqual(alice.json());
      });

      it('keys an authenticated request with Cookie on both', async () => {
        const path = `/callers/cookie-identity-${tag}?cc=max-age%3D60`;
        const key = { 'x-api-key': 'reader-key-0123456789' };
        expect((await get(path, { ...key, cookie: 'session=alice-secret' })).json()).toMatchObject({ cookie: 'session=alice-secret' });
        const withoutCookie = await get(path, key);
        expect(withoutCookie.headers['x-cache']).toBe('MISS');
        expect(withoutCookie.json()).toMatchObject({ cookie: null });
      });

      it.each([['public%2C%20max-age%3D60'], ['s-maxage%3D60'], ['public%2C%20s-maxage%3D60']])('shares a %s answer to a request with Cookie', async (cc) => {
        const path = `/open/cookie-shared-${cc.length}-${tag}?cc=${cc}`;
        expect((await get(path, { cookie: 'session=alice-secret' })).headers['x-cache']).toBe('MISS');
        expect((await get(path)).headers['x-cache']).toBe('HIT');
        expect((await get(path, { cookie: 'session=bob-secret' })).headers['x-cache']).toBe('HIT');
      });

      it("never applies a route's defaultTtl to a request with Cookie (nor with a credential)", async () => {
        const path = `/defaults/cookie-${tag}`;
        await get(path, { cookie: 'session=alice-secret' });
        const again = await get(path, { cookie: 'session=alice-secret' });
        expect(again.headers['x-cache']).toBe('MISS');
        const none = await get(path);
        expect(none.headers['x-cache']).toBe('MISS');
        expect(none.json()).toMatchObject({ cookie: null });
        // Without a cookie the defaultTtl applies (the route's own choice), and that entry is not a cookie's either.
        expect((await get(path)).headers['x-cache']).toBe('HIT');
        expect((await get(path, { cookie: 'session=alice-secret' })).headers['x-cache']).toBe('MISS');
        // `public` without a lifetime takes none from defaultTtl for a request with Cookie.
        const publicPath = `/defaults/cookie-public-${tag}?cc=public`;
        await get(publicPath, { cookie: 'session=alice-secret' });
        expect((await get(publicPath)).headers['x-cache']).toBe('MISS');
        expect(calls.get(publicPath.split('?')[0])).toBe(2);
        // A credential the route verifies (public routes verify one when sent) is like a cookie.
        const keyed = `/defaults/key-${tag}`;
        await get(keyed, { 'x-api-key': 'reader-key-0123456789' });
        expect((await get(keyed, { 'x-api-key': 'reader-key-0123456789' })).headers['x-cache']).toBe('MISS');
        expect(calls.get(keyed)).toBe(2);
      });
    });

    if (store === 'redis') {
      it('puts no credential in Redis: cookies, tokens and API keys are only in digests', async () => {
        const token = await sign({ client_id: 'redis-client-7f3e9a' });
        await get(`/callers/redis-token-${tag}?cc=max-age%3D60`, { authorization: `Bearer ${token}` });
        await get(`/callers/redis-key-${tag}?cc=max-age%3D60`, { 'x-api-key': 'admin-key-0123456789' });
        await get(`/open/redis-cookie-${tag}?cc=max-age%3D60`, { cookie: 'session=redis-cookie-5b1d' });
        const inspector = new Redis(redis.url);
        try {
          const keys = await inspector.keys(`${keyPrefix}*`);
          expect(keys.filter((key) => key.includes('redis-'))).toHaveLength(3);
          for (const key of keys) {
            for (const secret of [token, 'admin-key-0123456789', 'redis-cookie-5b1d', 'redis-client-7f3e9a']) expect(key).not.toContain(secret);
          }
        } finally {
          inspector.disconnect();
        }
      });
    }
  });
});
