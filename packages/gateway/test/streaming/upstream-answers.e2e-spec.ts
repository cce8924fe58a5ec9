import { startRawHttpUpstream, type BootedNestApp, type RawHttpUpstream } from '@nestmesh/testing';
import { Client } from 'undici';
import type { GatewayRoute } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp, staticDiscovery } from '../support/gateway-app.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok';

/** Raw answers of the upstream, by path: what node:http never sends, but an upstream (or a proxy before it) may. */
const ANSWERS: Record<string, string> = {
  '/plain': OK,
  '/continue': `HTTP/1.1 100 Continue\r\n\r\n${OK}`,
  '/continue-twice': `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n${OK}`,
  '/early-hints': `HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n${OK}`,
  '/no-content-with-body': 'HTTP/1.1 204 No Content\r\nX-Kept: 1\r\nContent-Length: 5\r\n\r\nhello',
  '/no-content-with-length': 'HTTP/1.1 204 No Content\r\nX-Kept: 1\r\nContent-Length: 5\r\n\r\n',
  '/no-content-chunked': 'HTTP/1.1 204 No Content\r\nX-Kept: 1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
  '/not-modified-with-length': 'HTTP/1.1 304 Not Modified\r\nX-Kept: 1\r\nETag: "v1"\r\nContent-Length: 5\r\n\r\n',
  '/not-modified-with-body': 'HTTP/1.1 304 Not Modified\r\nX-Kept: 1\r\nETag: "v1"\r\n\r\nhello',
};

const FINAL: Array<[string, number, string]> = [
  ['/continue', 200, 'ok'],
  ['/continue-twice', 200, 'ok'],
  ['/early-hints', 200, 'ok'],
  ['/no-content-with-body', 204, ''],
  ['/no-content-with-length', 204, ''],
  ['/no-content-chunked', 204, ''],
  ['/not-modified-with-length', 304, ''],
  ['/not-modified-with-body', 304, ''],
];

describe('upstream answers node:http would not send (a raw TCP upstream)', () => {
  let upstream: RawHttpUpstream;
  beforeAll(async () => {
    upstream = await startRawHttpUpstream((head) => ANSWERS[head.split(' ')[1].replace(/^\/[^/]+/, '')] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  });
  afterAll(() => upstream?.close());

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      const hook = () => undefined;
      const routes: GatewayRoute[] = [
        { id: 'url-relay', prefix: '/url', url: upstream.url },
        { id: 'url-stream', prefix: '/url-hook', url: upstream.url, onResponse: hook },
        { id: 'service-relay', prefix: '/svc', service: 'raw' },
        { id: 'service-stream', prefix: '/svc-hook', service: 'raw', onResponse: hook },
      ];
      gateway = await bootGatewayApp({ platform, discovery: staticDiscovery('raw', [upstream]), gateway: { routes } });
    });
    afterAll(() => gateway?.close());

    describe.each(['/url', '/url-hook', '/svc', '/svc-hook'])('through %s', (prefix) => {
      it.each(FINAL)('%s reaches the client as %d with its body (%j), and the client connection keeps working', async (path, status, body) => {
        const client = new Client(gateway.url, { pipelining: 1 });
        let connects = 0;
        client.on('connect', () => (connects += 1));
        try {
          const answer = await client.request({ method: 'GET', path: `${prefix}${path}`, headersTimeout: 15_000, bodyTimeout: 15_000 });
          expect(answer.statusCode).toBe(status);
          expect(await answer.body.text()).toBe(body);
          if (status !== 200) {
            expect(answer.headers['x-kept']).toBe('1');
            expect(answer.headers['content-length']).toBeUndefined();
          }
          const next = await client.request({ method: 'GET', path: `${prefix}/plain`, headersTimeout: 15_000, bodyTimeout: 15_000 });
          expect(next.statusCode).toBe(200);
          expect(await next.body.text()).toBe('ok');
          expect(connects).toBe(1);
        } finally {
          await client.close();
        }
      });
    });
  });
});
