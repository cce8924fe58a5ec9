import { startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { connect } from 'node:net';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

/**
 * Opens a connection and sends a request's headers one byte every 100 ms, never finishing them (slowloris).
 * Resolves when the server closes the connection, with what it answered and how long it took; gives up after
 * `giveUpMs` (the connection is then still held: the test fails).
 */
function trickleHeaders(port: number, giveUpMs: number): Promise<{ closed: boolean; elapsed: number; answer: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /api/slow HTTP/1.1\r\nHost: x\r\nX-Slow: '));
    const drip = setInterval(() => socket.write('a'), 100);
    let answer = '';
    let closed = false;
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('end', () => (closed = true));
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ closed: closed || answer.length > 0, elapsed: Date.now() - started, answer });
    });
  });
}

describe.each(PLATFORMS)('server limits of the gateway on %s', (platform) => {
  let upstream: HttpUpstream;
  let gateway: BootedNestApp;
  beforeAll(async () => {
    upstream = await startHttpUpstream();
    (upstream.server as { maxHeaderSize?: number }).maxHeaderSize = 1024 * 1024; // the upstream takes what the gateway lets through
    gateway = await bootGatewayApp({ platform, gateway: { routes: [{ prefix: '/api', url: upstream.url }], limits: { headersTimeout: 1_000, maxHeaderSize: 65_536 } } });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('drops a client that trickles its headers (slowloris) once headersTimeout passes, not 30 s later', async () => {
    const outcome = await trickleHeaders(gateway.port, 8_000);
    expect(outcome.closed).toBe(true);
    expect(outcome.elapsed).toBeGreaterThanOrEqual(900);
    expect(outcome.elapsed).toBeLessThan(8_000);
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /); // the gateway's problem+json, with a request id
    expect(outcome.answer).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/);
    expect(outcome.answer).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n[^]*"status":408/);
    expect(upstream.requests.filter((request) => request.url === '/api/slow')).toHaveLength(0);
    expect((await rawRequest(`${gateway.url}/api/after`)).status).toBe(200); // the gateway still serves others
  });

  it("takes headers above Node's own 16 KiB limit when maxHeaderSize allows them, and answers 431 beyond", async () => {
    const large = await rawRequest(`${gateway.url}/api/large`, { headers: { 'x-large': 'a'.repeat(40_000) } });
    expect(large.status).toBe(200);
    expect(upstream.requests.find((request) => request.url === '/api/large')?.headers['x-large']).toHaveLength(40_000);
    const beyondGateway = await rawRequest(`${gateway.url}/api/beyond`, { headers: { 'x-large': 'a'.repeat(30_000), 'x-more': 'b'.repeat(35_600) } });
    expect(beyondGateway.status).toBe(431);
    const beyondParser = await rawRequest(`${gateway.url}/api/beyond`, { headers: { 'x-large': 'a'.repeat(100_000) } }).catch((error: Error) => error);
    // Node's parser refuses it before the gateway sees it: still a 431 (or a closed connection if the send raced).
    if (!(beyondParser instanceof Error)) expect(beyondParser.status).toBe(431);
  });
});
