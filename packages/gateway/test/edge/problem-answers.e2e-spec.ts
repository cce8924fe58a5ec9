import { connect } from 'node:net';
import { getFreePort, startHttpUpstream, waitFor, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { rawExchange, rawRequest } from '../support/raw-request.js';

/** An answer read off the wire: status line, headers (names lower-case), body. */
function parseAnswer(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw.slice(end + 4) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(PLATFORMS)('every answer of the gateway is problem+json with a request id, on %s', (platform) => {
  let upstream: HttpUpstream;
  let gateway: BootedNestApp;
  beforeAll(async () => {
    upstream = await startHttpUpstream();
    gateway = await bootGatewayApp({ platform, gateway: { routes: [{ prefix: '/api', url: upstream.url }] } });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  /** Node's parser refuses these before any request listener runs: the server's clientError path answers. */
  const PARSER_ERRORS: Array<[string, number, string]> = [
    ['Content-Length with Transfer-Encoding', 400, 'POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/second HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a malformed request line', 400, 'GET /api/x HTTP/9.9 nonsense\r\nHost: x\r\n\r\n'],
    ['a header without a colon', 400, 'GET /api/x HTTP/1.1\r\nHost: x\r\nbroken header line\r\n\r\n'],
    ["headers over Node's parser limit", 431, `GET /api/x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
  ];

  /** Node answers these itself (a bare status line, or nothing) unless the server has a listener: the gateway has one. */
  const NODE_REFUSALS: Array<[string, number, string]> = [
    ['an HTTP/1.1 request without Host', 400, 'GET /api/x HTTP/1.1\r\n\r\n'],
    ['an Expect other than 100-continue', 417, 'POST /api/x HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Length: 2\r\n\r\nab'],
    ['CONNECT (no tunnels to arbitrary hosts)', 501, 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n'],
    // Refused before the client sends the body: no "100 Continue" first.
    ['Expect: 100-continue with a Content-Length over maxBodySize', 413, 'POST /api/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 999999999999\r\n\r\n'],
  ];

  it.each([...PARSER_ERRORS, ...NODE_REFUSALS])('%s: problem+json %d, a generated request id, the connection closed, nothing forwarded', async (_, status, bytes) => {
    const raw = await rawExchange(gateway.port, bytes, 10_000);
    expect(raw).toMatch(/^HTTP\/1\.1 /);
    expect(raw.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
    const answer = parseAnswer(raw);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['x-request-id']).toMatch(UUID);
    expect(answer.headers['x-powered-by']).toBeUndefined();
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    const problem = JSON.parse(answer.body) as Record<string, unknown>;
    expect(problem).toMatchObject({ type: 'about:blank', status, requestId: answer.headers['x-request-id'] });
    expect(typeof problem.detail).toBe('string');
    expect(upstream.requests.filter((request) => request.url === '/x' || request.url === '/api/x' || request.url === '/api/second')).toHaveLength(0);
  });

  it('Expect: 100-continue within maxBodySize: 100 Continue, then the body is forwarded and answered', async () => {
    const raw = await rawExchange(gateway.port, 'POST /api/continue HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab', 10_000);
    expect(raw.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 100', 'HTTP/1.1 200']);
    expect(upstream.requests.filter((request) => request.method === 'POST' && request.url.endsWith('/continue'))).toHaveLength(1);
  });

  it('a malformed request after an answered one on a keep-alive connection: problem+json 400, the first answer intact', async () => {
    const socket = connect(gateway.port, '127.0.0.1');
    socket.on('error', () => undefined);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /api/first HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => received.includes('"path":"/api/first"'), { timeout: 10_000 });
    socket.write('GET /api/second HTTP/1.1\r\nHost: x\r\nbroken header line\r\n\r\n');
    await closed;
    const second = received.slice(received.indexOf('HTTP/1.1', 1));
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    const answer = parseAnswer(second);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, requestId: answer.headers['x-request-id'] });
  });

  it('an unrouted 404 has requestId, instance and X-Request-Id (the client’s safe one kept), and no X-Powered-By', async () => {
    const generated = await rawRequest(`${gateway.url}/nowhere/at/all?x=1`);
    expect(generated.status).toBe(404);
    expect(generated.headers['content-type']).toBe('application/problem+json');
    expect(generated.headers['x-powered-by']).toBeUndefined();
    expect(generated.headers['x-request-id']).toMatch(UUID);
    expect(generated.json()).toMatchObject({ status: 404, instance: '/nowhere/at/all', requestId: generated.headers['x-request-id'] });
    const kept = await rawRequest(`${gateway.url}/nowhere`, { headers: { 'x-request-id': 'req-404' } });
    expect(kept.headers['x-request-id']).toBe('req-404');
    expect(kept.json()).toMatchObject({ status: 404, instance: '/nowhere', requestId: 'req-404' });
    const unsafe = await rawRequest(`${gateway.url}/nowhere`, { headers: { 'x-request-id': 'a b' } });
    expect(unsafe.headers['x-request-id']).toMatch(UUID);
  });

  it('sends no X-Powered-By on the app’s own answers or on relayed ones', async () => {
    for (const path of ['/bff/hello', '/api/x']) {
      const answer = await rawRequest(`${gateway.url}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
  });
});

describe.each(PLATFORMS)('an untrusted X-Request-Id on the unrouted 404, on %s', (platform) => {
  let gateway: BootedNestApp;
  beforeAll(async () => {
    gateway = await bootGatewayApp({ platform, gateway: { routes: [{ prefix: '/api', url: `http://127.0.0.1:${await getFreePort()}` }], trustRequestId: false } });
  });
  afterAll(() => gateway?.close());

  it('is replaced when trustRequestId is false, like on every other answer', async () => {
    const answer = await rawRequest(`${gateway.url}/nowhere`, { headers: { 'x-request-id': 'req-404' } });
    expect(answer.status).toBe(404);
    expect(answer.headers['x-request-id']).toMatch(UUID);
    expect(answer.json()).toMatchObject({ requestId: answer.headers['x-request-id'] });
  });
});
