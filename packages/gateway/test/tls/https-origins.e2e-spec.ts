import type { BootedNestApp } from '@nestmesh/testing';
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
async function startHttpsUpstream(identity: keyof typeof LOOPBACK_TLS) {
  const seen = { handshakes: 0, refused: 0 };
  const server: Server = createServer(LOOPBACK_TLS[identity], (req, res) => {
    const encrypted = (req.socket as TLSSocket).encrypted === true;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, encrypted }));
  });
  server.on('secureConnection', () => (seen.handshakes += 1));
  server.on('tlsClientError', () => (seen.refused += 1));
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket, request) => socket.on('message', (data) => socket.send(JSON.stringify({ url: request.url, text: String(data) }))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('https origins: url routes and WebSocket tunnels over TLS, the certificate verified (real HTTPS servers)', () => {
  let trusted: Awaited<ReturnType<typeof startHttpsUpstream>>;
  let untrusted: Awaited<ReturnType<typeof startHttpsUpstream>>;
  let untrust: () => void;

  beforeAll(async () => {
    untrust = trustLoopbackCertificate();
    trusted = await startHttpsUpstream('trusted');
    untrusted = await startHttpsUpstream('untrusted');
  });
  afterAll(async () => {
    for (const { server } of [trusted, untrusted]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
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
          ],
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
  });
});
