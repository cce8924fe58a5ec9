import type { BootedNestApp } from '@nestmesh/testing';
import type { GatewayRoute } from '../../src/index.js';
import { startEchoUpstream, type Echo } from '../support/echo-upstream.js';
import { PLATFORMS, bootGatewayApp, staticDiscovery } from '../support/gateway-app.js';
import { rawExchange, rawRequest } from '../support/raw-request.js';

/** Query strings a client may send, each to reach the upstream byte for byte. */
const QUERIES = ['?', '?a=1&a=2&a=', '?q=a+b%20c;d=%C3%A9%2B&x', '?%zz&=&&;;', '?k=%2F..%2F&path=/a/b?c', '?a=1?'];

describe('the query string reaches the upstream byte-exact (a real upstream Nest app)', () => {
  let upstream: BootedNestApp;
  beforeAll(async () => {
    upstream = await startEchoUpstream('orders-a');
  });
  afterAll(() => upstream?.close());

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      const passThrough = () => undefined;
      const routes: GatewayRoute[] = [
        { id: 'service-relay', prefix: '/svc', service: 'orders', rewrite: { stripPrefix: '/svc' } },
        { id: 'url-relay', prefix: '/url', url: upstream.url, rewrite: { stripPrefix: '/url' } },
        { id: 'service-stream', prefix: '/svc-hook', service: 'orders', rewrite: { stripPrefix: '/svc-hook' }, onResponse: passThrough },
        { id: 'url-stream', prefix: '/url-hook', url: upstream.url, rewrite: { stripPrefix: '/url-hook' }, onResponse: passThrough },
        { id: 'url-cached', prefix: '/cached', url: upstream.url, rewrite: { stripPrefix: '/cached' }, cache: { defaultTtl: 60_000 } },
      ];
      gateway = await bootGatewayApp({ platform, discovery: staticDiscovery('orders', [upstream]), gateway: { routes } });
    });
    afterAll(() => gateway?.close());

    describe.each(['/svc', '/url', '/svc-hook', '/url-hook', '/cached'])('through %s', (prefix) => {
      it.each(QUERIES)('forwards %s unchanged', async (query) => {
        const answer = await rawRequest(`${gateway.url}/x`, { path: `${prefix}/items${query}` });
        expect(answer.status).toBe(200);
        expect(answer.json<Echo>().url).toBe(`/items${query}`);
      });

      it('keeps a bare "?" apart from no query at all', async () => {
        const bare = await rawRequest(`${gateway.url}/x`, { path: `${prefix}/bare?` });
        const none = await rawRequest(`${gateway.url}/x`, { path: `${prefix}/bare` });
        expect([bare.json<Echo>().url, none.json<Echo>().url]).toEqual(['/bare?', '/bare']);
      });
    });

    it('refuses raw non-ASCII bytes and spaces in the query (400): they must arrive percent-encoded', async () => {
      const { port } = new URL(gateway.url);
      const answer = await rawExchange(Number(port), 'GET /url/items?q=\xc3\xa9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/application\/problem\+json/);
    });
  });
});
