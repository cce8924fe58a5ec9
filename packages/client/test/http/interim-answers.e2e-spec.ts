import { startRawHttpUpstream, type BootedNestApp, type RawHttpUpstream } from '@nestmesh/testing';
import type { ServiceClient } from '@nestmesh/client';
import type { RelayExchange, RelaySink } from '@nestmesh/client/relay';
import { bootClientApp, staticDiscovery } from '../support/client-app.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
/** A body that looks like an interim answer: it must reach the caller as it is. */
const LOOKALIKE = `HTTP/1.1 100 Continue\r\n\r\n`;

/** Raw answers of the upstream by path: what a real server (or a proxy before it) may send, node:http never does. */
const ANSWERS: Record<string, string | string[]> = {
  '/plain': OK,
  '/continue': `${CONTINUE}${OK}`,
  '/continue-twice': `${CONTINUE}${CONTINUE}${OK}`,
  '/early-then-continue': `HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n${CONTINUE}${OK}`,
  '/continue-split': ['HTTP/1.1 10', '0 Continue\r\n', '\r\nHTTP/1.1 2', `00 OK\r\nContent-Length: 2\r\n\r\nok`],
  '/continue-apart': [CONTINUE, OK],
  '/lookalike-body': [`HTTP/1.1 200 OK\r\nContent-Length: ${LOOKALIKE.length}\r\n\r\n`, LOOKALIKE],
  '/no-content-with-length': 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n',
  '/not-modified-with-length': 'HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n',
};

/** A sink that collects a relayed answer. */
function collect(): RelaySink & { outcome: Promise<{ status: number; body: string } | Error> } {
  let status = 0;
  const chunks: Buffer[] = [];
  let settle!: (value: { status: number; body: string } | Error) => void;
  const outcome = new Promise<{ status: number; body: string } | Error>((resolve) => (settle = resolve));
  return {
    outcome,
    start: (code: number, _exchange: RelayExchange) => void (status = code),
    write: (chunk: Buffer) => chunks.push(chunk) > 0,
    end: () => settle({ status, body: Buffer.concat(chunks).toString('latin1') }),
    fail: (error: Error) => settle(error),
  };
}

describe('interim answers and bodiless answers of an upstream (a raw TCP upstream)', () => {
  let upstream: RawHttpUpstream;
  let app: BootedNestApp & { client(name: string): ServiceClient };
  beforeAll(async () => {
    upstream = await startRawHttpUpstream((head) => ANSWERS[head.split(' ')[1]] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    app = await bootClientApp({ discovery: staticDiscovery('raw', [upstream]), clients: { services: { raw: { retry: false } } } });
    await (await app.client('raw').request({ method: 'GET', path: '/plain' })).body.text(); // a connection to reuse
  });
  afterAll(async () => {
    await app?.close();
    await upstream?.close();
  });

  const FINAL: Array<[string, string]> = [
    ['/continue', 'ok'],
    ['/continue-twice', 'ok'],
    ['/early-then-continue', 'ok'],
    ['/continue-split', 'ok'],
    ['/continue-apart', 'ok'],
    ['/lookalike-body', LOOKALIKE],
  ];

  it.each(FINAL)('request(): %s skips an unsolicited 100 Continue and answers the final 200, on a connection that stays usable', async (path, body) => {
    const before = upstream.connections;
    for (const method of ['GET', 'POST']) {
      const answer = await app.client('raw').request({ method, path, body: method === 'POST' ? 'a body' : undefined });
      expect(answer.status).toBe(200);
      expect(await answer.body.text()).toBe(body);
    }
    const plain = await app.client('raw').request({ method: 'GET', path: '/plain' });
    expect(await plain.body.text()).toBe('ok');
    // A connection undici dropped for each 100 would take one more per request (3 here); reuse may still open one.
    expect(upstream.connections - before).toBeLessThanOrEqual(1);
  });

  it.each(FINAL)('relay(): %s skips an unsolicited 100 Continue and relays the final 200', async (path, body) => {
    const sink = collect();
    await app.client('raw').relay({ method: 'GET', path }, sink);
    expect(await sink.outcome).toEqual({ status: 200, body });
  });

  it.each([
    ['/no-content-with-length', 204],
    ['/not-modified-with-length', 304],
  ])('relay(): %s is relayed as a complete %d without a body (undici counts its Content-Length against a body it cannot have)', async (path, status) => {
    const sink = collect();
    await app.client('raw').relay({ method: 'GET', path }, sink);
    expect(await sink.outcome).toEqual({ status, body: '' });
  });
});
