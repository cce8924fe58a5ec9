import { getFreePort, startConsulAgent, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import type { GatewayModuleOptions } from '../../src/index.js';
import { startEchoUpstream, type Echo } from '../support/echo-upstream.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { rawExchange, rawRequest } from '../support/raw-request.js';

describe('routing, rewriting and proxying (real Consul, real upstream Nest apps)', () => {
  let consul: ConsulAgent;
  let orders: BootedNestApp[];
  let legacy: BootedNestApp;
  let deadPort: number;

  beforeAll(async () => {
    consul = await startConsulAgent();
    orders = await Promise.all([startEchoUpstream('orders-a'), startEchoUpstream('orders-b')]);
    for (const [index, app] of orders.entries()) await consul.put('/v1/agent/service/register', { ID: `orders-${index}`, Name: 'orders', Address: '127.0.0.1', Port: app.port });
    legacy = await startEchoUpstream('legacy');
    deadPort = await getFreePort();
  });
  afterAll(async () => {
    await Promise.all([...orders, legacy].map((app) => app.close()));
    await consul?.stop();
  });

  const options = (): GatewayModuleOptions => ({
    routes: [
      { id: 'orders', prefix: '/api/orders', service: 'orders', rewrite: { stripPrefix: '/api' } },
      { id: 'order-by-id', path: '/api/orders/:id', methods: ['GET'], service: 'orders', rewrite: '/orders/by-id/:id' },
      { id: 'orders-special', path: '/api/orders/special', service: 'orders', rewrite: '/orders/special-handler' },
      { id: 'orders-v2', prefix: '/api/orders', headers: { 'x-api-version': '2' }, service: 'orders', rewrite: '/v2/*' },
      {
        id: 'legacy',
        prefix: '/legacy',
        url: `${legacy.url}/base`,
        rewrite: { stripPrefix: '/legacy' },
        requestHeaders: { set: { 'x-route': 'legacy' }, remove: ['x-drop-me'] },
        responseHeaders: { set: { 'x-gateway': 'yes' }, remove: ['x-instance'] },
      },
      { id: 'admin-host', prefix: '/', host: 'admin.example.com', url: legacy.url, rewrite: '/admin/*' },
      { id: 'tenant-host', prefix: '/', host: '*.tenant.example', url: legacy.url, rewrite: '/tenant/*' },
      { id: 'billing', prefix: '/api/billing', service: 'billing' },
      { id: 'slow', prefix: '/slow', service: 'orders', timeout: 300, retry: false },
      { id: 'dead', prefix: '/dead', url: `http://127.0.0.1:${deadPort}` },
      { id: 'flaky', prefix: '/flaky', service: 'orders', retry: false, circuitBreaker: { consecutiveFailures: 3, halfOpenAfter: 30_000 } },
    ],
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({ platform, discovery: { registry: 'consul', consul: { address: consul.httpAddr } }, gateway: options() });
    });
    afterAll(() => gateway?.close());

    const echo = async (path: string, init: Parameters<typeof rawRequest>[1] = {}) => {
      const answer = await rawRequest(`${gateway.url}${path}`, init);
      expect(answer.status).toBe(200);
      return answer.json<Echo>();
    };

    it('strips a prefix, keeps the query, and balances over the discovered instances', async () => {
      const seen = new Set<string>();
      for (let index = 0; index < 8; index += 1) {
        const answer = await echo('/api/orders/7/items?x=1&y=%2F');
        expect(answer.url).toBe('/orders/7/items?x=1&y=%2F');
        seen.add(answer.instance);
      }
      expect(seen).toEqual(new Set(['orders-a', 'orders-b']));
      expect((await echo('/api/orders')).url).toBe('/orders');
    });

    it('matches the most specific route first: literal, then parameter, then prefix; methods and headers narrow', async () => {
      expect((await echo('/api/orders/special')).url).toBe('/orders/special-handler');
      expect((await echo('/api/orders/42')).url).toBe('/orders/by-id/42');
      expect((await echo('/api/orders/42', { method: 'POST', body: '{}' })).url).toBe('/orders/42');
      expect((await echo('/api/orders/5/lines', { headers: { 'x-api-version': '2' } })).url).toBe('/v2/5/lines');
      expect((await echo('/api/orders/5/lines', { headers: { 'x-api-version': '1' } })).url).toBe('/orders/5/lines');
    });

    it('routes by host, and targets a static URL with a base path and header rules both ways', async () => {
      expect((await echo('/x/y', { headers: { host: 'admin.example.com:8080' } })).url).toBe('/admin/x/y');
      // The same name with its root dot (a fully qualified name) is the same host: it cannot skip a host's route.
      for (const host of ['admin.example.com.', 'ADMIN.example.com.:8080']) expect((await echo('/x/y', { headers: { host } })).url).toBe('/admin/x/y');
      expect((await echo('/x', { headers: { host: 'a.tenant.example.' } })).url).toBe('/tenant/x');
      expect((await echo('/', { path: 'http://admin.example.com./x/y', headers: { host: 'www.example.com' } })).url).toBe('/admin/x/y');
      // An absolute-form target names its host, and Host is then ignored (RFC 9112 §3.2.2), as a proxy in front reads it.
      // The upstream is told that host too, never the ignored Host.
      const named = await echo('/', { path: 'http://admin.example.com/x/y', headers: { host: 'www.example.com' } });
      expect([named.url, named.headers['x-forwarded-host']]).toEqual(['/admin/x/y', 'admin.example.com']);
      const other = await echo('/', { path: 'http://www.example.com/api/orders', headers: { host: 'admin.example.com' } });
      expect([other.url, other.headers['x-forwarded-host']]).toEqual(['/orders', 'www.example.com']);
      const withUserinfo = await rawRequest(`${gateway.url}/`, { path: 'http://admin@www.example.com/api/orders' });
      expect(withUserinfo.status).toBe(400);
      const answer = await rawRequest(`${gateway.url}/legacy/a/b?q=1`, { headers: { 'x-drop-me': '1', 'x-kept': 'k' } });
      const seen = answer.json<Echo>();
      expect(seen.url).toBe('/base/a/b?q=1');
      expect(seen.headers).toMatchObject({ 'x-route': 'legacy', 'x-kept': 'k' });
      expect(seen.headers['x-drop-me']).toBeUndefined();
      expect(answer.headers['x-gateway']).toBe('yes');
      expect(answer.headers['x-instance']).toBeUndefined();
    });

    it('refuses a Host or absolute-form authority that is no host[:port] (RFC 9112 §3.2), and matches a wildcard host only on a host name', async () => {
      expect((await echo('/x', { headers: { host: 'a.tenant.example' } })).url).toBe('/tenant/x');
      // Userinfo, a path, a port out of range: 400 whatever the path, as for any malformed request.
      // An empty label (admin.example.com.., admin..example.com) names no host: only one root dot is the same host.
      for (const host of ['evil.test@a.tenant.example', 'evil.test/.tenant.example', 'a.tenant.example:99999999', 'a.tenant.example:65536', '[::1]:65536', '[::1', 'admin.example.com..', 'admin..example.com', 'a.tenant.example..:80']) {
        const answer = await rawRequest(`${gateway.url}/x`, { headers: { host } });
        expect([host, answer.status, answer.headers['content-type']]).toEqual([host, 400, 'application/problem+json']);
      }
      const absolute = await rawRequest(`${gateway.url}/x`, { path: 'http://a.tenant.example:99999999/x', headers: { host: 'a.tenant.example' } });
      expect(absolute.status).toBe(400);
      // Valid authorities (sub-delims are allowed in a reg-name) that are no host name under the wildcard's domain:
      // no route takes them (the app answers 404).
      for (const [path, host] of [
        ['http://evil.test,a.tenant.example/x', 'a.tenant.example'],
        ['http://evil.test!.tenant.example/x', 'a.tenant.example'],
        ['/x', '.tenant.example'],
        ['/x', 'evil.test;.tenant.example'],
        ['/x', '[::1]:8080'], // a valid IP literal: accepted, and no host name
      ]) {
        const answer = await rawRequest(`${gateway.url}/x`, { path, headers: { host } });
        expect([path, host, answer.status]).toEqual([path, host, 404]);
      }
    });

    it('preserves status and headers (repeated Set-Cookie included), and answers HEAD without a body', async () => {
      const answer = await rawRequest(`${gateway.url}/api/orders/x?status=201&header=set-cookie:a=1&header=set-cookie:b=2&header=x-custom:v`);
      expect(answer.status).toBe(201);
      expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
      expect(answer.headers['x-custom']).toBe('v');
      const head = await rawRequest(`${gateway.url}/api/orders/1`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
    });

    it('streams request bodies of any method', async () => {
      const body = Buffer.alloc(300_000, 7);
      expect((await echo('/api/orders', { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } })).bodyBytes).toBe(body.length);
    });

    it('answers RFC 9457 problems without upstream internals: 404 no route, 503 no instance, 504 timeout, 502 unreachable', async () => {
      const none = await rawRequest(`${gateway.url}/nowhere`);
      expect(none.status).toBe(404);
      expect(none.headers['content-type']).toBe('application/problem+json');
      expect(none.json()).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });

      const noInstance = await rawRequest(`${gateway.url}/api/billing/x`);
      expect(noInstance.status).toBe(503);
      expect(noInstance.headers['content-type']).toBe('application/problem+json');
      expect(Number(noInstance.headers['retry-after'])).toBeGreaterThan(0);
      expect(noInstance.body).not.toMatch(/127\.0\.0\.1|consul|Error|registered/i);

      const slow = await rawRequest(`${gateway.url}/slow/x?delay=3000`);
      expect(slow.status).toBe(504);
      expect(slow.json()).toMatchObject({ status: 504, title: 'Gateway Timeout' });

      const dead = await rawRequest(`${gateway.url}/dead/x`);
      expect(dead.status).toBe(502);
      expect(dead.body).not.toContain(String(deadPort));
    });

    it("opens a route's own circuit breaker after its failures: 503 with Retry-After, other routes unaffected", async () => {
      for (let index = 0; index < 3; index += 1) expect((await rawRequest(`${gateway.url}/flaky/x?status=500`)).status).toBe(500);
      const open = await rawRequest(`${gateway.url}/flaky/x`);
      expect(open.status).toBe(503);
      expect(open.headers['content-type']).toBe('application/problem+json');
      expect(Number(open.headers['retry-after'])).toBeGreaterThan(0);
      expect((await rawRequest(`${gateway.url}/api/orders/x`)).status).toBe(200);
    });

    it("leaves the app's own controllers alone, their 404s included", async () => {
      const own = await rawRequest(`${gateway.url}/bff/hello`);
      expect(own.json()).toEqual({ hello: 'from the app' });
      const missing = await rawRequest(`${gateway.url}/bff/missing`);
      expect(missing.status).toBe(404);
      expect(missing.json()).toMatchObject({ message: 'no such thing here' });
      // An upgrade no route claims and nobody in the app takes (curl --http2 asks for h2c) is a plain request, as without the gateway.
      const port = Number(new URL(gateway.url).port);
      const h2c = await rawExchange(port, 'GET /bff/hello HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n', 1_000);
      expect(h2c).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"hello":"from the app"\}/);
    });
  });
});
