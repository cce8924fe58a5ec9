import { waitFor } from '@nestmesh/testing';
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * The heads a tunnel writes: the upgrade request to an IPv6 instance names it as a valid Host (`[::1]:port`), and the
 * `101` relayed to the client carries no Content-Length or Transfer-Encoding (RFC 9110 §8.6, §6.4.1: a 1xx has no
 * body), whatever the upstream put on it.
 */
describe('WebSocket tunnel heads (raw upstream on ::1)', () => {
  let upstream: { server: Server; port: number; heads: string[]; sockets: Socket[] };

  beforeAll(async () => {
    const heads: string[] = [];
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', (chunk) => {
        const head = chunk.toString('latin1');
        heads.push(head);
        const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? '';
        const accept = createHash('sha1').update(key + GUID).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nContent-Length: 5\r\n\r\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    upstream = { server, port: (server.address() as AddressInfo).port, heads, sockets };
  });
  afterAll(async () => {
    for (const socket of upstream.sockets) socket.destroy();
    await new Promise((resolve) => upstream.server.close(resolve));
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    it('sends Host: [::1]:port upstream and relays the 101 without a body length', async () => {
      const gateway = await bootGatewayApp({
        platform,
        discovery: { registry: 'static', staticServices: { six: [{ id: 'six-0', address: '::1', port: upstream.port }] } },
        gateway: { routes: [{ prefix: '/six', service: 'six', websocket: true }] },
      });
      const client = connect(gateway.port, '127.0.0.1');
      try {
        client.on('error', () => undefined);
        let answer = '';
        client.on('data', (chunk) => (answer += chunk.toString('latin1')));
        const before = upstream.heads.length;
        client.write(`GET /six/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`);
        await waitFor(() => answer.includes('\r\n\r\n'), { timeout: 10_000, description: 'the answer head' });
        expect(answer).toMatch(/^HTTP\/1\.1 101 /);
        expect(answer.toLowerCase()).not.toMatch(/\r\n(content-length|transfer-encoding):/);
        expect(upstream.heads[before]).toMatch(new RegExp(`\\r\\nhost: \\[::1\\]:${upstream.port}\\r\\n`, 'i'));
      } finally {
        client.destroy();
        await gateway.close();
      }
    });
  });
});
