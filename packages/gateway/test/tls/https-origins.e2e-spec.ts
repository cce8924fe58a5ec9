import { startSilentServer, waitFor, type BootedNestApp, type SilentServer } from '@nestmesh/testing';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { websocketExchange as exchange } from '../support/websocket-exchange.js';
import { LOOPBACK_TLS, trustLoopbackCertificate } from '../support/loopback-tls.js';
import { rawRequest } from '../support/raw-request.js';

/**
 * A real HTTPS server with `identity` ("trusted" or "untrusted"): requests answer what they saw, WebSocket messages
 * are echoed with it; `handshakes` counts the TLS handshakes it completed, `refused` the ones a client gave up.
 */
async function startHttpsUpstream(identity: keyof typeof LOOPBACK_TLS, host = '127.0.0.1') {
  const seen = { handshakes: 0, refused: 0 };
  const server: Server = createServer(LOOPBACK_TLS[identity], (req, res) => {
    const encrypted = (req.socket as TLSSocket).encrypted === true;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, encrypted }));
  });
  server.on('secureConnection', () => (seen.handshakes += 1));
  server.on('tlsClientError', () => (seen.refused += 1));
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket, request) => socket.on('message', (data) => socket.send(JSON.stringify({ url: request.url, text: String(data) }))));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, seen, origin: `https://${host}:${(server.address() as AddressInfo).port}` };
}

describe('https origins: url routes and WebSocket tunnels over TLS, the certificate verified (real HTTPS servers)', () => {
  let trusted: Awaited<ReturnType<typeof startHttpsUpstream>>;
  let untrusted: Awaited<ReturnType<typeof startHttpsUpstream>>;
  /** The trusted certificate (issued for 127.0.0.1) presented at 127.0.0.2: a valid chain for another name. */
  let misnamed: Awaited<ReturnType<typeof startHttpsUpstream>>;
  /** Accepts and stays silent: a TLS handshake to it never completes. */
  let blackHole: SilentServer;
  let untrust: () => void;

  beforeAll(async () => {
    untrust = trustLoopbackCertificate();
    trusted = await startHttpsUpstream('trusted');
    untrusted = await startHttpsUpstream('untrusted');
    misnamed = await startHttpsUpstream('trusted', '127.0.0.2');
    blackHole = await startSilentServer();
  });
  afterAll(async () => {
    for (const { server } of [trusted, untrusted, misnamed]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
    await blackHole?.close();
    untrust?.();
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        gateway: {
          routes: [
            { prefix: '/secure', url: `${trusted.origin}/v1`, rewrite: { stripPrefix: '/secure' }, websocket: true },
            { prefix: '/forged', url: untrusted.origin, websocket: true, retry: false },
            { prefix: '/misnamed', url: misnamed.origin, websocket: true, retry: false },
            // connectTimeout (300 ms) must end the handshake before the route's deadline (800 ms) does: a 502, not a 504.
            { prefix: '/silent', url: `https://127.0.0.1:${blackHole.port}`, retry: false, timeout: 800 },
            { prefix: '/silent-ws', url: `https://127.0.0.1:${blackHole.port}`, websocket: true, retry: false, timeout: 500 },
          ],
          clientDefaults: { pool: { connectTimeout: 300 } },
        },
      });
    });
    afterAll(() => gateway?.close());

    it('forwards a request to an https origin over TLS, under its base path', async () => {
      const answer = await rawRequest(`${gateway.url}/secure/items?page=2`);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ url: '/v1/items?page=2', encrypted: true });
    });

    it('tunnels a WebSocket upgrade to an https origin over TLS', async () => {
      const { status, reply } = await exchange(`${gateway.url.replace('http', 'ws')}/secure/chat`);
      expect(status).toBe(101);
      expect(reply).toEqual({ url: '/v1/chat', text: 'hello' });
    });

    it('refuses an origin whose certificate is not trusted: 502 problem+json, no request reaches it, no tunnel', async () => {
      const handshakes = untrusted.seen.handshakes;
      const answer = await rawRequest(`${gateway.url}/forged/items`);
      expect(answer.status).toBe(502);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await exchange(`${gateway.url.replace('http', 'ws')}/forged/chat`)).status).toBe(502);
      expect(untrusted.seen.refused).toBeGreaterThan(0);
      expect(untrusted.seen.handshakes).toBe(handshakes); // the gateway gave up on every handshake
    });

    it('refuses a trusted certificate issued for another name (127.0.0.1 presented at 127.0.0.2): 502, no request, no tunnel', async () => {
      const handshakes = misnamed.seen.handshakes;
      expect((await rawRequest(`${gateway.url}/misnamed/items`)).status).toBe(502);
      expect((await exchange(`${gateway.url.replace('http', 'ws')}/misnamed/chat`)).status).toBe(502);
      expect(misnamed.seen.refused).toBeGreaterThan(0);
      expect(misnamed.seen.handshakes).toBe(handshakes);
    });

    it('ends a TLS handshake that never completes at the pool connectTimeout (502, before the route deadline), a tunnel at its timeout (504), leaving no socket open', async () => {
      const answer = await rawRequest(`${gateway.url}/silent/items`);
      expect(answer.status).toBe(502);
      expect(answer.json()).toMatchObject({ status: 502, detail: 'The upstream service could not be reached.' });
      expect((await exchange(`${gateway.url.replace('http', 'ws')}/silent-ws/chat`)).status).toBe(504);
      await waitFor(() => blackHole.open.size === 0, { timeout: 2_000, description: 'the gateway closed every connection to the silent origin' });
    });
  });
});
