import { startNodeApp, type ManagedProcess } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';
import { mintDemoToken } from '../../src/demo-key.js';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const demoClaims = { issuer: 'nestmesh-demo', audience: 'nestmesh-demo-api' };

describe('the embedded demo (npm run demo): GatewayModule on Fastify and two orders instances in one process, no infrastructure', () => {
  let demo: ManagedProcess;
  let gateway: string;

  beforeAll(async () => {
    demo = await startNodeApp(main, {
      env: { PORT: '0', ORDERS_PORT: '0', ORDERS_TCP_PORT: '0', HOST: '127.0.0.1', CONSUL_HTTP_ADDR: '', RATE_LIMIT: '20', RATE_WINDOW_MS: '60000', JWT_JWKS_URL: '' },
      readyWhen: /Ctrl-C stops the demo\./,
    });
    gateway = /demo-gateway listening on (http:\/\/\S+):/.exec(demo.log)![1];
  });
  afterAll(async () => {
    await demo?.stop('SIGKILL');
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('says it uses the in-memory registry on purpose (an info line, no fallback warning), and prints a ready demo token', async () => {
    expect(demo.log).toContain("Using the in-memory registry of this process (registry: 'in-memory')");
    expect(demo.log).not.toContain('Fix: set CONSUL_HTTP_ADDR');
    const printed = /authorization: Bearer (\S+)'/.exec(demo.log)![1];
    expect((await fetch(`${gateway}/api/orders`, { headers: bearer(printed) })).status).toBe(200);
  });

  it('does not claim shutdown hooks are off: SIGTERM drains and deregisters both apps', () => {
    expect(demo.log).toMatch(/Registered orders-127\.0\.0\.1-\d+/);
    expect(demo.log).not.toContain('Shutdown hooks are off');
  });

  it('routes /api/orders and /api/orders/* to the discovered orders service, rewritten to /orders...', async () => {
    const token = await mintDemoToken({ ...demoClaims, subject: 'writer' });
    const created = await fetch(`${gateway}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    });
    expect(created.status).toBe(201);
    const order = (await created.json()) as { id: string };
    const one = await fetch(`${gateway}/api/orders/${order.id}`, { headers: bearer(token) });
    expect(await one.json()).toEqual(expect.objectContaining({ id: order.id, item: 'book', quantity: 2 }));
    const listed = await (await fetch(`${gateway}/api/orders`, { headers: bearer(token) })).json();
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ item: 'book', quantity: 2 })]));

    const invalid = await fetch(`${gateway}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: '{"item":""}' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string }).message).toBe('"item" must be a non-empty string, got "".');
  });

  it('requires a JWT (401 with a challenge), and the scope of the method (403): orders:read for GET, orders:write for writes', async () => {
    const anonymous = await fetch(`${gateway}/api/orders`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm="api"/);

    const reader = await mintDemoToken({ ...demoClaims, subject: 'reader', scope: 'orders:read' });
    expect((await fetch(`${gateway}/api/orders`, { headers: bearer(reader) })).status).toBe(200);
    const refused = await fetch(`${gateway}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(reader) }, body: '{"item":"x","quantity":1}' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"');

    const scp = await mintDemoToken({ ...demoClaims, subject: 'scp-user', scp: ['orders:read'] });
    expect((await fetch(`${gateway}/api/orders`, { headers: bearer(scp) })).status).toBe(200);
    const wrongAudience = await mintDemoToken({ issuer: 'nestmesh-demo', audience: 'another-api' });
    expect((await fetch(`${gateway}/api/orders`, { headers: bearer(wrongAudience) })).status).toBe(401);
  });

  it('gives each user RATE_LIMIT requests per window, then 429 with Retry-After; other users are not affected', async () => {
    const busy = await mintDemoToken({ ...demoClaims, subject: 'busy-user' });
    const statuses: number[] = [];
    for (let index = 0; index < 21; index += 1) statuses.push((await fetch(`${gateway}/api/orders`, { headers: bearer(busy) })).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    const limited = await fetch(`${gateway}/api/orders`, { headers: bearer(busy) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = await mintDemoToken({ ...demoClaims, subject: 'quiet-user' });
    expect((await fetch(`${gateway}/api/orders`, { headers: bearer(other) })).status).toBe(200);
  });

  it('normalises the path before routing: /api/orders/../../admin/health never reaches the upstream', async () => {
    const token = await mintDemoToken({ ...demoClaims, subject: 'prober' });
    const traversal = await fetch(`${gateway}/api/orders/%2e%2e/%2e%2e/admin/health`, { method: 'PUT', headers: { 'content-type': 'application/json', ...bearer(token) }, body: '{"status":"down"}' });
    expect(traversal.status).toBe(404);
    expect(traversal.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${gateway}/api/orders`, { headers: bearer(token) })).status).toBe(200);
  });

  it('hands out demo tokens while the built-in key is in use, and lists discovered instances', async () => {
    const { access_token } = (await (await fetch(`${gateway}/demo/token?scope=orders:read&sub=alice`)).json()) as { access_token: string };
    expect((await fetch(`${gateway}/api/orders`, { headers: bearer(access_token) })).status).toBe(200);
    const instances = await (await fetch(`${gateway}/services/orders`)).json();
    const instance = expect.objectContaining({ name: 'orders', address: '127.0.0.1', health: 'passing', stale: false, tags: ['http', 'demo'], ports: { tcp: expect.any(Number) } });
    expect(instances).toEqual([instance, instance]);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    demo.child.kill('SIGTERM');
    expect(await demo.waitForExit()).toEqual({ code: 0, signal: null });
    expect(demo.log).toMatch(/Deregistered gateway-127\.0\.0\.1-\d+/);
    expect(demo.log).toMatch(/Deregistered orders-127\.0\.0\.1-\d+/);
  });
});
