import { startSilentServer, waitFor, type SilentServer } from '@nestmesh/testing';
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
  let silent: SilentServer;

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
    silent = await startSilentServer();
  });
  afterAll(async () => {
    echo.server.closeAllConnections();
    await new Promise((resolve) => echo.server.close(resolve));
    for (const socket of stubborn.sockets) socket.destroy();
    await new Promise((resolve) => stubborn.server.close(resolve));
    await silent?.close();
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    /** The /hooked route's request hook waits for this: an upgrade still in admission. */
    let hook = { entered: false, release: () => undefined as void, passed: Promise.resolve() };
    const holdHook = () => {
      let release!: () => void;
      const passed = new Promise<void>((resolve) => (release = resolve));
      hook = { entered: false, release, passed };
    };
    const boot = () =>
      bootGatewayApp({
        platform,
        discovery: {
          registry: 'static',
          staticServices: { ...staticDiscovery('echo', [echo]).staticServices, ...staticDiscovery('stubborn', [stubborn]).staticServices, ...staticDiscovery('silent', [silent]).staticServices },
        },
        gateway: {
          routes: [
            { prefix: '/echo', service: 'echo', websocket: true },
            { prefix: '/stubborn', service: 'stubborn', websocket: true, timeout: 500 },
            // The handshake deadline is far beyond the test's wait: only the shutdown can end this tunnel in time.
            { prefix: '/silent', service: 'silent', websocket: true, timeout: 600_000 },
            {
              prefix: '/hooked',
              service: 'echo',
              websocket: true,
              onRequest: () => {
                hook.entered = true;
                return hook.passed;
              },
            },
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

    /** A raw client that opens an upgrade on `path` and never closes, not even after the gateway's FIN. */
    const stubbornClient = (port: number, path: string) => {
      const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      client.on('error', () => undefined);
      const state = { answer: '', ended: false, client };
      client.on('data', (chunk) => (state.answer += chunk.toString('latin1')));
      client.once('end', () => (state.ended = true));
      client.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`);
      return state;
    };

    it('ends, within its grace, an open tunnel whose client ignores the FIN of the shutdown', async () => {
      const gateway = await boot();
      const client = stubbornClient(gateway.port, '/stubborn/x');
      try {
        await waitFor(() => client.answer.startsWith('HTTP/1.1 101'), { timeout: 10_000, description: 'the 101' });
        // The server waits for every connection: it closes only once the gateway destroyed this one after its grace.
        expect(await settlesWithin(gateway.close(), 10_000)).toBe(true);
        expect(client.ended).toBe(true); // the gateway's FIN
      } finally {
        client.client.destroy();
      }
    });

    it("ends a tunnel still waiting for its upstream's 101 at shutdown, long before the handshake deadline", async () => {
      const gateway = await boot();
      const before = silent.open.size;
      const client = stubbornClient(gateway.port, '/silent/x');
      try {
        await waitFor(() => silent.open.size > before, { timeout: 10_000, description: 'the upgrade sent upstream' });
        expect(await settlesWithin(gateway.close(), 10_000)).toBe(true);
        expect(client.ended).toBe(true);
        await waitFor(() => silent.open.size === before, { timeout: 5_000, description: 'the upstream connection closed' });
      } finally {
        client.client.destroy();
      }
    });

    it('answers 503 to an upgrade still in admission when shutdown begins, and never opens its upstream connection', async () => {
      holdHook();
      const gateway = await boot();
      let upstreamConnections = 0;
      const count = () => void (upstreamConnections += 1);
      echo.server.on('connection', count);
      const client = stubbornClient(gateway.port, '/hooked/x');
      try {
        await waitFor(() => hook.entered, { timeout: 10_000, description: 'the request hook running' });
        const closing = gateway.close();
        await new Promise((resolve) => setTimeout(resolve, 50));
        hook.release();
        await waitFor(() => client.answer.length > 0 || client.ended, { timeout: 10_000, description: 'an answer' });
        expect(client.answer).toMatch(/^HTTP\/1\.1 503 /);
        expect(await settlesWithin(closing, 10_000)).toBe(true);
        expect(upstreamConnections).toBe(0);
      } finally {
        echo.server.off('connection', count);
        client.client.destroy();
      }
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
