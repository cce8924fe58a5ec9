import { startHttpUpstream, waitFor, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { websocketExchange as exchange } from '../support/websocket-exchange.js';

const ISSUER = 'https://idp.test/';
const AUDIENCE = 'chat-api';

/** A real WebSocket server echoing each message with the path and the identity headers it saw. */
async function startEchoSockets(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket, request) =>
    socket.on('message', (data) =>
      socket.send(
        JSON.stringify({
          url: request.url,
          user: request.headers['x-user-id'] ?? null,
          method: request.headers['x-auth-method'] ?? null,
          scopes: request.headers['x-user-scopes'] ?? null,
          spoof: request.headers['x-auth-spoof'] ?? null,
          forwardedFor: request.headers['x-forwarded-for'] ?? null,
          requestId: request.headers['x-request-id'] ?? null,
          tenant: request.headers['x-tenant'] ?? null,
          text: String(data),
        }),
      ),
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const connectionsOf = (server: Server) => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));

describe('a WebSocket upgrade goes through the same admission as any request (real JWKS, real WebSocket server)', () => {
  let upstream: { server: Server; port: number };
  let jwks: HttpUpstream;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let jwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'RS256', use: 'sig' };
    jwks = await startHttpUpstream((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    upstream = await startEchoSockets();
  });
  afterAll(async () => {
    upstream?.server.closeAllConnections();
    await new Promise((resolve) => upstream?.server.close(resolve));
    await jwks?.close();
  });

  const sign = (subject: string, scope: string) =>
    new SignJWT({ sub: subject, scope, iss: ISSUER, aud: AUDIENCE, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300 })
      .setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .sign(privateKey);

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        gateway: {
          routes: [
            { id: 'chat', prefix: '/chat', url: `http://127.0.0.1:${upstream.port}`, rewrite: '/rooms/*', websocket: true, auth: 'jwt', access: { scopes: ['chat:join'] }, throttle: { burst: { limit: 2 } },
              onRequest: (context) => {
                context.headers['x-tenant'] = `tenant-of-${context.identity?.subject}`;
              },
            },
          ],
          auth: { jwt: { jwksUrl: `${jwks.url}/jwks.json`, issuer: ISSUER, audience: AUDIENCE } },
          throttlers: [{ name: 'burst', limit: 1000, ttl: 60_000 }],
        },
      });
    });
    afterAll(() => gateway?.close());
    afterEach(async () => {
      await waitFor(async () => (await connectionsOf(gateway.app.getHttpServer() as Server)) === 0, { description: 'the gateway closed every client connection' });
      await waitFor(async () => (await connectionsOf(upstream.server)) === 0, { description: 'the gateway closed every upstream connection' });
    });

    const ws = (path: string) => `${gateway.url.replace('http', 'ws')}${path}`;

    it('tunnels a verified upgrade with the scope: path rewritten, client-sent identity headers removed and re-set from the token, the request hook applied', async () => {
      const token = await sign('alice', 'chat:join');
      const { status, reply } = await exchange(ws('/chat/42?x=1'), { authorization: `Bearer ${token}`, 'x-user-id': 'mallory', 'x-auth-method': 'forged', 'x-auth-spoof': '1', 'x-forwarded-for': '10.9.9.9' });
      expect(status).toBe(101);
      expect(reply).toMatchObject({ url: '/rooms/42?x=1', user: 'alice', method: 'jwt', scopes: 'chat:join', spoof: null, forwardedFor: '127.0.0.1', tenant: 'tenant-of-alice', text: 'hello' });
      expect(reply?.requestId).toEqual(expect.any(String));
    });

    it('holds what the client sent with its upgrade (a first frame) and delivers it once the upstream accepted', async () => {
      const token = await sign('dave', 'chat:join');
      const key = 'dGhlIHNhbXBsZSBub25jZQ==';
      const payload = Buffer.from('early');
      const mask = Buffer.from([1, 2, 3, 4]);
      const frame = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]))]);
      const upgrade = `GET /chat/7 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${token}\r\n\r\n`;
      const socket = connect(gateway.port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(upgrade, 'latin1'), frame])));
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      try {
        await waitFor(() => received.includes('"text":"early"'), { description: 'the echo of the early frame' });
        expect(received).toMatch(/^HTTP\/1\.1 101 /);
        expect(received).toMatch(/\r\nsec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/i);
      } finally {
        socket.destroy();
      }
    });

    it('refuses with problem+json: no token 401 (with a challenge), a token without the scope 403', async () => {
      const missing = await exchange(ws('/chat/1'));
      expect(missing.status).toBe(401);
      expect(missing.headers?.['www-authenticate']).toMatch(/^Bearer/);
      expect(missing.headers?.['content-type']).toBe('application/problem+json');
      expect(JSON.parse(missing.body ?? '{}')).toMatchObject({ status: 401, requestId: missing.headers?.['x-request-id'] });
      const forbidden = await exchange(ws('/chat/1'), { authorization: `Bearer ${await sign('bob', 'orders:read')}` });
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers?.['content-type']).toBe('application/problem+json');
    });

    it('throttles upgrades like requests: over the route limit, 429 problem+json with Retry-After and RateLimit headers', async () => {
      const token = await sign(`carol-${platform}`, 'chat:join');
      expect((await exchange(ws('/chat/1'), { authorization: `Bearer ${token}` })).status).toBe(101);
      expect((await exchange(ws('/chat/1'), { authorization: `Bearer ${token}` })).status).toBe(101);
      const limited = await exchange(ws('/chat/1'), { authorization: `Bearer ${token}` });
      expect(limited.status).toBe(429);
      expect(limited.headers?.['content-type']).toBe('application/problem+json');
      expect(Number(limited.headers?.['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers?.['ratelimit-remaining']).toBe('0');
    });
  });
});
