import { startHttpUpstream, waitFor, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { hashApiKey } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

const READER_KEY = 'reader-key-0123456789';
const KEY = 'dGhlIHNhbXBsZSBub25jZQ=='; // RFC 6455's sample key: its accept is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=

/** Requests an attacker writes on the connection once the gateway answered the upgrade. */
const SMUGGLED = 'POST /orders HTTP/1.1\r\nHost: orders\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}PUT /admin/health HTTP/1.1\r\nHost: orders\r\nContent-Length: 0\r\n\r\n';

function upgradeRequest(path: string, headers: Record<string, string> = {}): string {
  const lines = [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: Upgrade', 'Upgrade: websocket', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

interface RawUpgradeAnswer {
  /** Everything the gateway sent, as latin1. */
  text: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The gateway closed the connection (rather than the test giving up waiting). */
  closedByGateway: boolean;
}

/**
 * Writes `bytes` on a new connection to the gateway; when the first answer bytes arrive, writes `then` on the same
 * connection (as an attacker smuggling requests would); returns what came back once the gateway closed (or 5 s passed).
 */
function rawUpgrade(port: number, bytes: string, then?: string): Promise<RawUpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    let closedByGateway = true;
    const timer = setTimeout(() => {
      closedByGateway = false;
      socket.destroy();
    }, 5_000);
    socket.on('data', (chunk: Buffer) => {
      const first = text === '';
      text += chunk.toString('latin1');
      if (first && then !== undefined && socket.writable) socket.write(then);
    });
    socket.on('error', () => undefined); // a reset after the answer is still an answer
    socket.on('close', () => {
      clearTimeout(timer);
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
      if (!text) reject(new Error('the gateway closed the connection without an answer'));
      else resolve({ text, status, headers, body: rest.join('\r\n\r\n'), closedByGateway });
    });
  });
}

const connectionsOf = (server: Server) => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));

/**
 * A hostile or broken upstream: answers every upgrade with what its path asks for, and records the upgrade
 * requests and every byte it receives after them.
 */
async function startHandshakeUpstream(): Promise<{ server: Server; url: string; upgrades: Array<{ url: string; headers: Record<string, unknown> }>; after: Buffer[] }> {
  const upgrades: Array<{ url: string; headers: Record<string, unknown> }> = [];
  const after: Buffer[] = [];
  const server = createServer((_request, response) => response.writeHead(500).end());
  server.on('upgrade', (request, socket, head) => {
    upgrades.push({ url: request.url ?? '', headers: request.headers });
    if (head.length > 0) after.push(head);
    socket.on('data', (chunk: Buffer) => after.push(chunk));
    socket.on('error', () => undefined);
    socket.on('end', () => socket.destroy()); // the gateway closed its side: close ours (counted in getConnections until then)
    const path = (request.url ?? '').split('/').pop();
    const body = '{"error":"not here"}';
    if (path === 'wrong-accept') socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n');
    else if (path === 'no-accept') socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    else if (path === 'refuse') socket.write(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nWWW-Authenticate: Bearer realm="chat"\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    else if (path === 'refuse-chunked') socket.write(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
    else if (path === 'huge-head') socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Padding: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    else if (path === 'huge-body') socket.write(`HTTP/1.1 403 Forbidden\r\nContent-Length: ${128 * 1024}\r\n\r\n${'a'.repeat(128 * 1024)}`);
    else if (path === 'silent') return; // accepts the connection, never answers
    else socket.write('NOT HTTP AT ALL\r\n\r\n');
    // Like a real server that keeps the connection: only the gateway may close it.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, upgrades, after };
}

describe('a WebSocket upgrade never becomes a raw tunnel to a non-WebSocket answer (real upstreams that record what they receive)', () => {
  let plain: HttpUpstream;
  let plainConnections = 0;
  let handshake: Awaited<ReturnType<typeof startHandshakeUpstream>>;

  beforeAll(async () => {
    plain = await startHttpUpstream(); // node:http: answers 200 to anything, upgrades included, and keeps the connection
    plain.server.on('connection', () => (plainConnections += 1));
    handshake = await startHandshakeUpstream();
  });
  afterAll(async () => {
    await plain?.close();
    handshake?.server.closeAllConnections();
    await new Promise((resolve) => handshake?.server.close(resolve));
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        gateway: {
          routes: [
            { id: 'orders', prefix: '/api/orders', url: plain.url, rewrite: { stripPrefix: '/api' }, auth: 'api-key', access: { GET: { roles: ['reader'] }, '*': { roles: ['writer'] } } },
            { id: 'orders-ws', prefix: '/ws/orders', url: plain.url, websocket: true, auth: 'api-key', access: { GET: { roles: ['reader'] }, '*': { roles: ['writer'] } } },
            { id: 'handshake', prefix: '/handshake', url: handshake.url, websocket: true },
            { id: 'slow', prefix: '/slow', url: handshake.url, rewrite: '/handshake/*', websocket: true, timeout: 1_000 },
          ],
          auth: { apiKeys: [{ id: 'reader', hash: hashApiKey(READER_KEY), subject: 'reader', roles: ['reader'] }] },
        },
      });
    });
    afterAll(() => gateway?.close());
    beforeEach(() => {
      plain.requests.length = 0;
      plainConnections = 0;
      handshake.upgrades.length = 0;
      handshake.after.length = 0;
    });
    afterEach(async () => {
      // No leaked socket: every connection the scenario opened, on either side of the gateway, is closed.
      await waitFor(async () => (await connectionsOf(gateway.app.getHttpServer() as Server)) === 0, { description: 'the gateway closed every client connection' });
      await waitFor(async () => (await connectionsOf(plain.server)) === 0 && (await connectionsOf(handshake.server)) === 0, { description: 'the gateway closed every upstream connection' });
    });

    const expectProblem = (answer: RawUpgradeAnswer, status: number) => {
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.headers['x-request-id']).toEqual(expect.any(String));
      const problem = JSON.parse(answer.body) as Record<string, unknown>;
      expect(problem).toMatchObject({ status, requestId: answer.headers['x-request-id'] });
      expect(answer.closedByGateway).toBe(true);
    };

    it('refuses an upgrade on a route without `websocket: true` (400 problem+json) and never connects upstream: smuggled requests go nowhere', async () => {
      const answer = await rawUpgrade(gateway.port, upgradeRequest('/api/orders', { 'X-Api-Key': READER_KEY }), SMUGGLED);
      expectProblem(answer, 400);
      expect(answer.text).not.toContain('"ok":true');
      expect(plain.requests).toEqual([]);
      expect(plainConnections).toBe(0);
    });

    it('relays a plain 200 answer to an upgrade on an opted-in route as an ordinary answer and closes: later requests on the connection never reach the upstream', async () => {
      const answer = await rawUpgrade(gateway.port, upgradeRequest('/ws/orders', { 'X-Api-Key': READER_KEY, 'X-User-Id': 'root' }), SMUGGLED);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ ok: true, path: '/ws/orders' });
      expect(answer.headers['x-request-id']).toEqual(expect.any(String));
      expect(answer.closedByGateway).toBe(true);
      expect(plain.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /ws/orders']);
      expect(plain.requests[0].headers).toMatchObject({ 'x-user-id': 'reader', 'x-auth-method': 'api-key', 'sec-websocket-key': KEY, upgrade: 'websocket' });
    });

    it('does not tunnel a 101 whose Sec-WebSocket-Accept is wrong or missing (502 problem+json, closed), and holds back what the client sent early', async () => {
      for (const path of ['/handshake/wrong-accept', '/handshake/no-accept']) {
        const answer = await rawUpgrade(gateway.port, upgradeRequest(path) + SMUGGLED, SMUGGLED);
        expectProblem(answer, 502);
      }
      expect(handshake.upgrades.map((upgrade) => upgrade.url)).toEqual(['/handshake/wrong-accept', '/handshake/no-accept']);
      expect(Buffer.concat(handshake.after).toString('latin1')).toBe('');
    });

    it('relays a non-101 answer (its status, headers and body, chunked or not) as an ordinary answer, then closes', async () => {
      const refused = await rawUpgrade(gateway.port, upgradeRequest('/handshake/refuse'), SMUGGLED);
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="chat"');
      expect(refused.headers.connection).toBe('close');
      expect(refused.body).toBe('{"error":"not here"}');
      expect(refused.closedByGateway).toBe(true);
      const chunked = await rawUpgrade(gateway.port, upgradeRequest('/handshake/refuse-chunked'), SMUGGLED);
      expect(chunked.status).toBe(403);
      expect(chunked.text).toContain('{"error":"not here"}');
      expect(chunked.closedByGateway).toBe(true);
      expect(Buffer.concat(handshake.after).toString('latin1')).toBe('');
    });

    it('answers 502 problem+json when the upstream answer is not HTTP', async () => {
      expectProblem(await rawUpgrade(gateway.port, upgradeRequest('/handshake/garbage'), SMUGGLED), 502);
      expect(Buffer.concat(handshake.after).toString('latin1')).toBe('');
    });

    it('bounds the upstream answer: a head over the header limit or a refusal body over 64 KiB is a 502, no answer within the route timeout a 504', async () => {
      expectProblem(await rawUpgrade(gateway.port, upgradeRequest('/handshake/huge-head'), SMUGGLED), 502);
      expectProblem(await rawUpgrade(gateway.port, upgradeRequest('/handshake/huge-body'), SMUGGLED), 502);
      expectProblem(await rawUpgrade(gateway.port, upgradeRequest('/slow/silent') + SMUGGLED), 504);
      expect(Buffer.concat(handshake.after).toString('latin1')).toBe('');
    });

    it('closes the upstream connection when the client goes away during the handshake', async () => {
      const socket = connect(gateway.port, '127.0.0.1', () => socket.write(upgradeRequest('/handshake/silent')));
      socket.on('error', () => undefined);
      await waitFor(() => handshake.upgrades.length === 1, { description: 'the upgrade reached the upstream' });
      socket.destroy();
      // afterEach: the gateway closes its connection to the upstream.
    });

    it('refuses a malformed upgrade on an opted-in route (not GET, no or bad Sec-WebSocket-Key, other version, other protocol, a body) without connecting', async () => {
      const cases: Array<[string, number]> = [
        [upgradeRequest('/handshake/x').replace('GET ', 'POST '), 400],
        [upgradeRequest('/handshake/x').replace(`Sec-WebSocket-Key: ${KEY}\r\n`, ''), 400],
        [upgradeRequest('/handshake/x').replace(KEY, 'c2hvcnQ='), 400],
        [upgradeRequest('/handshake/x').replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 8'), 426],
        [upgradeRequest('/handshake/x').replace('Upgrade: websocket', 'Upgrade: h2c'), 400],
        // A body would reach the upstream only after the 101, as tunnel bytes: here, a request hidden in it.
        [`${upgradeRequest('/handshake/x', { 'Content-Length': '23' })}GET /admin HTTP/1.1\r\n\r\n`, 400],
        [`${upgradeRequest('/handshake/x', { 'Transfer-Encoding': 'chunked' })}0\r\n\r\n`, 400],
      ];
      for (const [bytes, status] of cases) {
        const answer = await rawUpgrade(gateway.port, bytes);
        expectProblem(answer, status);
        if (status === 426) expect(answer.headers['sec-websocket-version']).toBe('13');
      }
      expect(handshake.upgrades).toEqual([]);
    });
  });
});
