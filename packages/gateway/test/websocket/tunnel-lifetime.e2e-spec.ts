import { waitFor } from '@nestmesh/testing';
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { PLATFORMS, bootGatewayApp, staticDiscovery } from '../support/gateway-app.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Resolves `true` when `promise` settles within `ms`, `false` when it is still pending: a hang, not a speed check. */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);

/**
 * How long a tunnel lives: an open one must not hold the app's shutdown (a rolling deploy would wait for its client),
 * and one its client half-closed must not keep both sockets for good when the upstream never closes.
 */
describe('WebSocket tunnel lifetime (real ws server, raw sockets)', () => {
  let echo: { server: Server; port: number };
  let stubborn: { server: NetServer; port: number; sockets: Socket[] };

  beforeAll(async () => {
    const server = createHttpServer();
    new WebSocketServer({ server }).on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    echo = { server, port: (server.address() as AddressInfo).port };
    // An upstream that completes the handshake and then never closes, even after the client's FIN.
    const sockets: Socket[] = [];
    const raw = createServer({ allowHalfOpen: true }, (socket) => {
      sockets.push(socket);
      socket.once('data', (chunk) => {
        const key = /sec-websocket-key: *(\S+)/i.exec(chunk.toString('latin1'))?.[1] ?? '';
        const accept = createHash('sha1').update(key + GUID).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    stubborn = { server: raw, port: (raw.address() as AddressInfo).port, sockets };
  });
  afterAll(async () => {
    echo.server.closeAllConnections();
    await new Promise((resolve) => echo.server.close(resolve));
    for (const socket of stubborn.sockets) socket.destroy();
    await new Promise((resolve) => stubborn.server.close(resolve));
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    const boot = () =>
      bootGatewayApp({
        platform,
        discovery: { registry: 'static', staticServices: { ...staticDiscovery('echo', [echo]).staticServices, ...staticDiscovery('stubborn', [stubborn]).staticServices } },
        gateway: {
          routes: [
            { prefix: '/echo', service: 'echo', websocket: true },
            { prefix: '/stubborn', service: 'stubborn', websocket: true, timeout: 500 },
          ],
        },
      });

    it('closes its open tunnels when the app shuts down, instead of waiting for their clients', async () => {
      const gateway = await boot();
      const client = new WebSocket(`${gateway.url.replace('http', 'ws')}/echo/chat`);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.on('error', () => undefined);
      await new Promise<void>((resolve) => client.once('open', () => resolve()));
      client.send('hi');
      expect(String(await new Promise((resolve) => client.once('message', resolve)))).toBe('hi');
      const closing = gateway.close();
      expect(await settlesWithin(closing, 10_000)).toBe(true);
      await closed;
    });

    it('ends a tunnel whose client half-closed, within the route timeout, when the upstream never closes', async () => {
      const gateway = await boot();
      try {
        const before = stubborn.sockets.length;
        const client = connect(gateway.port, '127.0.0.1');
        client.on('error', () => undefined);
        let clientClosed = false;
        client.once('close', () => (clientClosed = true));
        let answer = '';
        client.on('data', (chunk) => (answer += chunk.toString('latin1')));
        const key = randomBytes(16).toString('base64');
        client.write(`GET /stubborn/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n\r\n`);
        await waitFor(() => answer.startsWith('HTTP/1.1 101'), { timeout: 10_000, description: 'the 101' });
        expect(stubborn.sockets.length).toBe(before + 1);
        client.end(); // FIN: the client is done sending; the upstream never answers it with its own
        // The gateway gives up on the tunnel: it closes the client's connection (and so its upstream one).
        await waitFor(() => clientClosed, { timeout: 10_000, description: 'the tunnel ended by the gateway' });
      } finally {
        await gateway.close();
      }
    });
  });
});
