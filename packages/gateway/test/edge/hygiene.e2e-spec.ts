import { startConsulAgent, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import { startEchoUpstream, type Echo } from '../support/echo-upstream.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { rawExchange, rawRequest } from '../support/raw-request.js';

describe('an edge that cannot be fooled (real Consul, real upstream Nest app)', () => {
  let consul: ConsulAgent;
  let upstream: BootedNestApp;

  beforeAll(async () => {
    consul = await startConsulAgent();
    upstream = await startEchoUpstream('orders-a');
    await consul.put('/v1/agent/service/register', { ID: 'orders-0', Name: 'orders', Address: '127.0.0.1', Port: upstream.port });
  });
  afterAll(async () => {
    await upstream?.close();
    await consul?.stop();
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    let trusting: BootedNestApp;
    beforeAll(async () => {
      const discovery = { registry: 'consul' as const, consul: { address: consul.httpAddr } };
      const routes = [{ prefix: '/api/orders', service: 'orders', rewrite: { stripPrefix: '/api' } }];
      gateway = await bootGatewayApp({ platform, discovery, gateway: { routes, identityHeaders: ['x-tenant'], limits: { maxHeaderSize: 4_096 } } });
      trusting = await bootGatewayApp({ platform, discovery, gateway: { routes, trustedProxies: 'loopback' } });
    });
    afterAll(async () => {
      await gateway?.close();
      await trusting?.close();
    });

    const echo = async (app: BootedNestApp, path: string, headers: Record<string, string | string[]> = {}) => {
      const answer = await rawRequest(`${app.url}${path}`, { headers });
      expect(answer.status).toBe(200);
      return { answer, seen: answer.json<Echo>() };
    };

    it('strips hop-by-hop headers and those Connection names, in both directions', async () => {
      const { answer, seen } = await echo(gateway, '/api/orders/x?header=connection:x-up-secret&header=x-up-secret:1&header=keep-alive:timeout=1&header=x-up-kept:1', {
        connection: 'keep-alive, X-Internal-Token',
        'x-internal-token': 'secret',
        'keep-alive': 'timeout=100',
        te: 'trailers',
        'proxy-authorization': 'Basic eA==',
        'proxy-connection': 'keep-alive',
        upgrade: 'h2c',
        'x-kept': 'yes',
      });
      for (const name of ['x-internal-token', 'keep-alive', 'te', 'proxy-authorization', 'proxy-connection', 'upgrade']) expect(seen.headers[name]).toBeUndefined();
      expect(seen.headers['x-kept']).toBe('yes');
      expect(answer.headers['x-up-secret']).toBeUndefined();
      expect(answer.headers['x-up-kept']).toBe('1');
    });

    it('never believes forwarding headers from an untrusted peer, and walks them from a trusted one', async () => {
      const spoofed = { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'admin.internal', forwarded: 'for=6.6.6.6', 'x-real-ip': '6.6.6.6' };
      const { seen } = await echo(gateway, '/api/orders/x', spoofed);
      expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(seen.headers['x-forwarded-proto']).toBe('http');
      expect(seen.headers['x-forwarded-host']).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(seen.headers.forwarded).toBeUndefined();
      expect(seen.headers['x-real-ip']).toBeUndefined();
      // The rest of the X-Forwarded-* family (Envoy's client certificate, OAuth2 proxies' users, the prefix a
      // framework builds links from), and any spelling with "_" that CGI, WSGI or PHP read as the same header.
      // And the overrides some frameworks honour (method-override, Symfony, IIS): a GET the route's access allowed
      // must not become a DELETE upstream, nor its path another one.
      const overrides = { 'x-http-method-override': 'DELETE', 'x-http-method': 'DELETE', 'x-method-override': 'DELETE', 'x-original-url': '/admin', 'x-rewrite-url': '/admin' };
      // The client-address headers of CDNs and load balancers, which libraries such as request-ip believe first.
      const clientIps = { 'x-client-ip': '6.6.6.6', 'true-client-ip': '6.6.6.6', 'cf-connecting-ip': '6.6.6.6', 'x-cluster-client-ip': '6.6.6.6', 'fastly-client-ip': '6.6.6.6', x_client_ip: '6.6.6.6' };
      const family = { 'x-forwarded-client-cert': 'By=spiffe://x;URI=spiffe://admin', 'x-forwarded-prefix': '//evil.example', 'x-forwarded-access-token': 't', x_forwarded_for: '6.6.6.6', x_real_ip: '6.6.6.6', ...overrides, ...clientIps };
      const others = await echo(gateway, '/api/orders/x', family);
      for (const name of Object.keys(family)) expect(others.seen.headers[name]).toBeUndefined();
      expect(others.seen.headers['x-forwarded-for']).toBe('127.0.0.1');
      const trusted = await echo(trusting, '/api/orders/x', { 'x-forwarded-for': '6.6.6.6, 203.0.113.7', 'x-forwarded-proto': 'https' });
      expect(trusted.seen.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
      expect(trusted.seen.headers['x-forwarded-proto']).toBe('https');
    });

    it('removes identity headers a client sends (built-in and configured ones)', async () => {
      const { seen } = await echo(gateway, '/api/orders/x', { 'x-user-id': 'admin', 'x-user-roles': 'admin', 'x-auth-method': 'jwt', 'x-api-key-id': 'root', 'x-tenant': 'acme', 'remote-user': 'root' });
      for (const name of ['x-user-id', 'x-user-roles', 'x-auth-method', 'x-api-key-id', 'x-tenant', 'remote-user']) expect(seen.headers[name]).toBeUndefined();
      // Spelt with "_": CGI, WSGI and PHP upstreams read X_User_Id as HTTP_X_USER_ID, the same as X-User-Id.
      const underscored = { x_user_id: 'admin', X_User_Roles: 'admin', x_auth_method: 'jwt', x_tenant: 'acme', remote_user: 'root', 'x-user_id': 'admin' };
      const other = await echo(gateway, '/api/orders/x', underscored);
      for (const name of Object.keys(underscored)) expect(other.seen.headers[name.toLowerCase()]).toBeUndefined();
    });

    it('propagates a safe X-Request-Id (else generates one) and a valid traceparent (else drops it)', async () => {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const kept = await echo(gateway, '/api/orders/x', { 'x-request-id': 'req-123', traceparent, tracestate: 'a=1' });
      expect(kept.seen.headers).toMatchObject({ 'x-request-id': 'req-123', traceparent, tracestate: 'a=1' });
      expect(kept.answer.headers['x-request-id']).toBe('req-123');
      const replaced = await echo(gateway, '/api/orders/x', { 'x-request-id': 'bad id\twith tab', traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' });
      expect(replaced.seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(replaced.answer.headers['x-request-id']).toBe(replaced.seen.headers['x-request-id']);
      expect(replaced.seen.headers.traceparent).toBeUndefined();
    });

    it('normalises the path before matching: traversal cannot leave the route, ambiguous encodings get 400', async () => {
      expect((await echo(gateway, '/api/orders/a/../b//c')).seen.url).toBe('/orders/b/c');
      const traversal = await rawRequest(`${gateway.url}/api/orders/../../admin/health`, { path: '/api/orders/../../admin/health' });
      expect(traversal.status).toBe(404); // /admin/health: no route, so no upstream ever sees it
      expect(traversal.headers['content-type']).toBe('application/problem+json');
      const encoded = await rawRequest(`${gateway.url}/x`, { path: '/api/orders/%2e%2e/%2e%2e/admin' });
      expect(encoded.status).toBe(404);
      // Path parameters too: Tomcat and Jetty read "/api/admin;x/users" as "/api/admin/users", a route this edge would
      // not have matched (a protected prefix passed by a public one); and an encoded "%2e" behind one more encoding.
      const paths = ['/api/orders%2F..%2Fadmin', '/api/orders/..%5Cadmin', '/api/orders/%252e%252e/admin', '/api/orders/%25%32%65%25%32%65/admin'];
      for (const path of [...paths, '/api/orders;x/1', '/api/orders/1;jsessionid=2', '/api/orders%3Bx/1']) {
        const refused = await rawRequest(`${gateway.url}/x`, { path });
        expect(refused.status).toBe(400);
        expect(refused.headers['content-type']).toBe('application/problem+json');
      }
    });

    it('never lets an absolute-form or //host target pick the upstream', async () => {
      const absolute = await rawRequest(`${gateway.url}/x`, { path: 'http://evil.example/api/orders/abs?x=1' });
      expect(absolute.status).toBe(200);
      expect(absolute.json<Echo>()).toMatchObject({ instance: 'orders-a', url: '/orders/abs?x=1' });
      const doubleSlash = await rawRequest(`${gateway.url}/x`, { path: '//evil.example/api/orders' });
      expect(doubleSlash.status).toBe(404);
    });

    it('refuses request smuggling with 400 and no second request, and oversized headers with 431', async () => {
      const { port } = new URL(gateway.url);
      const smuggled =
        'POST /api/orders/smuggle HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/orders/second HTTP/1.1\r\nHost: x\r\n\r\n';
      const answer = await rawExchange(Number(port), smuggled);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
      const conflicting = await rawExchange(Number(port), 'POST /api/orders/x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd');
      expect(conflicting).toMatch(/^HTTP\/1\.1 400 /);
      // Node keeps the first Host and Authorization and drops the rest; a proxy in front may have read the last.
      for (const repeated of ['Host: x\r\nHost: admin.internal', 'Host: x\r\nAuthorization: Bearer a\r\nAuthorization: Basic YTpi']) {
        expect(await rawExchange(Number(port), `GET /api/orders/x HTTP/1.1\r\n${repeated}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 [^]*one Host header and one Authorization header/);
      }
      // A coding before chunked (gzip, chunked): Node decodes the chunks only, and the upstream would get gzip bytes
      // as a plain chunked body. Only a lone chunked is forwarded.
      for (const coding of ['gzip, chunked', 'chunked, chunked', 'identity, chunked']) {
        const coded = await rawExchange(Number(port), `POST /api/orders/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${coding}\r\n\r\n3\r\nabc\r\n0\r\n\r\n`);
        expect([coding, coded.split('\r\n')[0]]).toEqual([coding, 'HTTP/1.1 400 Bad Request']);
      }
      const big = await rawRequest(`${gateway.url}/api/orders/x`, { headers: { 'x-big': 'a'.repeat(6_000) } });
      expect(big.status).toBe(431);
    });
  });
});
