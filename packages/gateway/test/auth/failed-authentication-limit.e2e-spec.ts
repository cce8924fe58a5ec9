import { jest } from '@jest/globals';
import { CapturingLogger, sleep, startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { ApiKeyVerifier, JwtVerifier, hashApiKey, type GatewayModuleOptions } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { rawRequest, type RawAnswer } from '../support/raw-request.js';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const KEY = 'sk_test_0123456789abcdef0123456789abcdef';
const token = (secret = SECRET) =>
  new SignJWT({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 300 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

/** A real WebSocket server answering each message with "pong". */
async function startPongSockets(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  new WebSocketServer({ server }).on('connection', (socket) => socket.on('message', () => socket.send('pong')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The status of a WebSocket upgrade (101 once a message came back), and its Retry-After. */
function upgrade(url: string, headers: Record<string, string>, localAddress = '127.0.0.1'): Promise<{ status?: number; retryAfter?: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers, localAddress });
    socket.once('open', () => socket.send('ping'));
    socket.once('message', () => {
      resolve({ status: 101 });
      socket.close();
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] });
      socket.terminate();
    });
    socket.once('error', () => resolve({}));
  });
}

describe('failed authentication is rate limited per client address (auth.failureLimit)', () => {
  let upstream: HttpUpstream;
  let sockets: { server: Server; port: number };

  beforeAll(async () => {
    upstream = await startHttpUpstream();
    sockets = await startPongSockets();
  });
  afterAll(async () => {
    await upstream?.close();
    sockets?.server.closeAllConnections();
    await new Promise((resolve) => sockets?.server.close(resolve));
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp | undefined;
    let jwt: JwtVerifier;
    let logger: CapturingLogger;
    afterEach(async () => {
      jest.restoreAllMocks();
      await gateway?.close();
      gateway = undefined;
    });

    const boot = async (extra: Partial<GatewayModuleOptions['auth']> = {}, more: Partial<GatewayModuleOptions> = {}) => {
      jwt = new JwtVerifier({ secret: SECRET });
      logger = new CapturingLogger();
      gateway = await bootGatewayApp({
        platform,
        logger,
        gateway: {
          routes: [
            { id: 'keys', prefix: '/keys', url: upstream.url, auth: 'api-key' },
            { id: 'tokens', prefix: '/tokens', url: upstream.url, auth: 'jwt' },
            { id: 'open', prefix: '/open', url: upstream.url },
            { id: 'chat', prefix: '/chat', url: `http://127.0.0.1:${sockets.port}`, auth: 'api-key', websocket: true },
          ],
          auth: { jwt, apiKeys: [{ id: 'partner', hash: hashApiKey(KEY) }], ...extra },
          ...more,
        },
      });
      return gateway;
    };
    const call = (path: string, headers: Record<string, string> = {}, localAddress = '127.0.0.1') => rawRequest(`${gateway!.url}${path}`, { headers, localAddress });
    const statuses = async (count: number, path: string, headers: (index: number) => Record<string, string>, localAddress?: string) => {
      const out: number[] = [];
      for (let index = 0; index < count; index += 1) out.push((await call(path, headers(index), localAddress)).status);
      return out;
    };
    const expectTooMany = (answer: RawAnswer, maxSeconds: number) => {
      expect(answer.status).toBe(429);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(Number(answer.headers['retry-after'])).toBeLessThanOrEqual(maxSeconds);
      expect(answer.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
      expect(answer.body).not.toContain(KEY);
    };

    it('gives 60 wrong API keys from one address 20 x 401 (the default limit), then 429 with Retry-After; a correct key from that address is refused too, another address is not', async () => {
      await boot();
      const wrong = await statuses(60, '/keys/x', (index) => ({ 'x-api-key': `wrong-key-${index}` }));
      expect(wrong).toEqual([...Array(20).fill(401), ...Array(40).fill(429)]);
      expectTooMany(await call('/keys/x', { 'x-api-key': 'one-more-wrong-key' }), 60);
      expectTooMany(await call('/keys/x', { 'x-api-key': KEY }), 60); // blocked means blocked: a guess that happens to be right learns nothing
      expect((await call('/tokens/x', { authorization: `Bearer ${await token()}` })).status).toBe(429); // across all routes of the gateway
      expect((await call('/open/x')).status).toBe(200); // anonymous requests are not authentication attempts

      expect((await call('/keys/x', { 'x-api-key': KEY }, '127.0.0.2')).status).toBe(200);
      expect((await call('/keys/x', { 'x-api-key': 'wrong-key' }, '127.0.0.2')).status).toBe(401);
      const warnings = logger.matching(/Too many refused credentials/);
      expect(warnings).toHaveLength(1); // once per block, naming the address and the fix
      expect(warnings[0].message).toMatch(/from ip:127\.0\.0\.1 \(more than 20 in 60 s\).*trustedProxies/);
    });

    it('counts wrong JWTs too, and answers a blocked address before any verification work (spies on the real verifiers)', async () => {
      await boot();
      const verifyJwt = jest.spyOn(jwt, 'verify');
      const verifyKey = jest.spyOn(ApiKeyVerifier.prototype, 'verify');
      const forged = await token('another-secret-of-at-least-32-bytes!!!');
      expect(await statuses(10, '/tokens/x', () => ({ authorization: `Bearer ${forged}` }))).toEqual(Array(10).fill(401));
      expect(await statuses(10, '/keys/x', (index) => ({ 'x-api-key': `wrong-${index}` }))).toEqual(Array(10).fill(401));
      expectTooMany(await call('/tokens/x', { authorization: 'Bearer not.a.jwt' }), 60); // the 21st failure
      expect(verifyJwt).toHaveBeenCalledTimes(11);
      expect(verifyKey).toHaveBeenCalledTimes(10);

      expect((await call('/tokens/x', { authorization: `Bearer ${await token()}` })).status).toBe(429);
      expect((await call('/tokens/x', { authorization: `Bearer ${forged}` })).status).toBe(429);
      expect((await call('/keys/x', { 'x-api-key': KEY })).status).toBe(429);
      expect((await call('/open/x', { authorization: `Bearer ${forged}` })).status).toBe(429); // a credential on a public route is checked, so limited too
      expect(verifyJwt).toHaveBeenCalledTimes(11);
      expect(verifyKey).toHaveBeenCalledTimes(10);
    });

    it('does not count a missing credential (answered 401 without verification work), counts malformed ones, and a success does not reset the count', async () => {
      await boot();
      expect(await statuses(30, '/keys/x', () => ({}))).toEqual(Array(30).fill(401));
      expect((await call('/keys/x', { 'x-api-key': KEY })).status).toBe(200);
      expect(await statuses(10, '/keys/x', (index): Record<string, string> => (index % 2 ? { authorization: 'Basic YWxpY2U6c2VjcmV0' } : { 'x-api-key': ['a', 'b'] as unknown as string }))).toEqual(Array(10).fill(401));
      expect((await call('/keys/x', { 'x-api-key': KEY })).status).toBe(200);
      expect(await statuses(11, '/keys/x', (index) => ({ 'x-api-key': `wrong-${index}` }))).toEqual([...Array(10).fill(401), 429]);
    });

    it('restores plain 401s with failureLimit: false (not recommended)', async () => {
      await boot({ failureLimit: false });
      expect(await statuses(60, '/keys/x', (index) => ({ 'x-api-key': `wrong-key-${index}` }))).toEqual(Array(60).fill(401));
      expect((await call('/keys/x', { 'x-api-key': KEY })).status).toBe(200);
    });

    it('takes a configured limit and blockDuration: blocked for that long, then the address may try again', async () => {
      await boot({ failureLimit: { limit: 3, ttl: 60_000, blockDuration: 1_500 } });
      expect(await statuses(4, '/keys/x', (index) => ({ 'x-api-key': `wrong-${index}` }))).toEqual([401, 401, 401, 429]);
      const refused = await call('/keys/x', { 'x-api-key': KEY });
      expectTooMany(refused, 2);
      await sleep(Number(refused.headers['retry-after']) * 1_000 + 200);
      expect((await call('/keys/x', { 'x-api-key': KEY })).status).toBe(200);
      expect(await statuses(4, '/keys/x', (index) => ({ 'x-api-key': `wrong-${index}` }))).toEqual([401, 401, 401, 429]); // a fresh count after the block
    });

    it('counts WebSocket upgrades with the requests, and refuses a blocked address an upgrade with 429 and Retry-After', async () => {
      const { url } = await boot({ failureLimit: { limit: 4, ttl: 60_000 } });
      const ws = url.replace('http', 'ws');
      expect((await upgrade(`${ws}/chat/room`, { 'x-api-key': KEY })).status).toBe(101);
      expect(await statuses(2, '/keys/x', (index) => ({ 'x-api-key': `wrong-${index}` }))).toEqual([401, 401]);
      expect((await upgrade(`${ws}/chat/room`, { 'x-api-key': 'wrong-a' })).status).toBe(401);
      expect((await upgrade(`${ws}/chat/room`, { 'x-api-key': 'wrong-b' })).status).toBe(401);
      const blocked = await upgrade(`${ws}/chat/room`, { 'x-api-key': 'wrong-c' });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
      expect((await upgrade(`${ws}/chat/room`, { 'x-api-key': KEY })).status).toBe(429);
      expect((await upgrade(`${ws}/chat/room`, { 'x-api-key': KEY }, '127.0.0.2')).status).toBe(101);
    });

    it('counts the client address resolved through trusted proxies (IPv6 by /64); a client cannot dodge the limit with its own X-Forwarded-For', async () => {
      await boot({ failureLimit: { limit: 2, ttl: 60_000 } });
      const spoofed = await statuses(3, '/keys/x', (index) => ({ 'x-api-key': 'wrong', 'x-forwarded-for': `203.0.113.${index}` }));
      expect(spoofed).toEqual([401, 401, 429]);
      await gateway!.close();

      await boot({ failureLimit: { limit: 2, ttl: 60_000 } }, { trustedProxies: 'loopback' });
      const via = (client: string, key: string) => ({ 'x-api-key': key, 'x-forwarded-for': client });
      expect(await statuses(3, '/keys/x', () => via('203.0.113.7', 'wrong'))).toEqual([401, 401, 429]);
      expect((await call('/keys/x', via('203.0.113.7', KEY))).status).toBe(429);
      expect((await call('/keys/x', via('203.0.113.8', KEY))).status).toBe(200);
      expect((await call('/keys/x', via('127.0.0.1', KEY))).status).toBe(200); // the proxy itself is not blocked for its clients' failures
      expect(await statuses(3, '/keys/x', (index) => via(`2001:db8:1:2::${index + 1}`, 'wrong'))).toEqual([401, 401, 429]);
      expect((await call('/keys/x', via('2001:db8:1:2:ffff::9', KEY))).status).toBe(429); // same /64
      expect((await call('/keys/x', via('2001:db8:1:3::1', KEY))).status).toBe(200); // another /64
    });
  });
});
