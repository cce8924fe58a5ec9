import { startNodeApp, type ManagedProcess } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

describe('the embedded demo (npm run demo): gateway and orders in one process, no infrastructure', () => {
  let demo: ManagedProcess;
  let gateway: string;

  beforeAll(async () => {
    demo = await startNodeApp(main, {
      env: { PORT: '0', ORDERS_PORT: '0', HOST: '127.0.0.1', CONSUL_HTTP_ADDR: '' },
      readyWhen: /demo-gateway listening on (http:\/\/\S+):/,
    });
    gateway = /demo-gateway listening on (http:\/\/\S+):/.exec(demo.log)![1];
  });
  afterAll(async () => {
    await demo?.stop('SIGKILL');
  });

  it('says it uses the in-memory registry', () => {
    expect(demo.log).toContain('Using the in-memory registry (this process only) (CONSUL_HTTP_ADDR is not set)');
  });

  it('does not claim shutdown hooks are off: SIGTERM drains and deregisters both apps', () => {
    expect(demo.log).toMatch(/Registered orders-127\.0\.0\.1-\d+/);
    expect(demo.log).not.toContain('Shutdown hooks are off');
  });

  it('routes /api/orders/... to the orders instance it discovered', async () => {
    const created = await fetch(`${gateway}/api/orders/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-served-by')).toMatch(/^orders-127\.0\.0\.1-\d+$/);
    const listed = await (await fetch(`${gateway}/api/orders/orders`)).json();
    expect(listed).toEqual([expect.objectContaining({ item: 'book', quantity: 2 })]);

    const invalid = await fetch(`${gateway}/api/orders/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"item":""}' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string }).message).toBe('"item" must be a non-empty string, got "".');
  });

  it('lists discovered instances and answers clearly for unknown or invalid services', async () => {
    const instances = await (await fetch(`${gateway}/services/orders`)).json();
    expect(instances).toEqual([expect.objectContaining({ name: 'orders', address: '127.0.0.1', health: 'passing', stale: false, tags: ['http', 'demo'] })]);
    const unknown = await fetch(`${gateway}/api/billing/x`);
    expect(unknown.status).toBe(503);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/^No instance of "billing" to call: none is registered/);
    const invalid = await fetch(`${gateway}/api/bad_name/x`);
    expect(invalid.status).toBe(400);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    demo.child.kill('SIGTERM');
    expect(await demo.waitForExit()).toEqual({ code: 0, signal: null });
    expect(demo.log).toMatch(/Deregistered gateway-127\.0\.0\.1-\d+/);
    expect(demo.log).toMatch(/Deregistered orders-127\.0\.0\.1-\d+/);
  });
});
