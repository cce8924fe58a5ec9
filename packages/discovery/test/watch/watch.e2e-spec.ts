import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { sleep, startConsulAgent, startConsulCluster, startCountingProxy, waitFor, type ConsulAgent, type CountingProxy } from '@nestmesh/testing';
import { firstValueFrom, filter, type Subscription } from 'rxjs';
import { ServiceDiscovery, type ServiceInstance } from '../../src/index.js';
import { consumerAppModule } from '../support/test-app.js';

const register = (consul: { url: string }, name: string, id: string, port: number, tags: string[] = []) =>
  fetch(`${consul.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: name, ID: id, Address: '127.0.0.1', Port: port, Tags: tags }) }).then((r) => {
    if (!r.ok) throw new Error(`register ${id}: ${r.status}`);
  });
const deregister = (consul: { url: string }, id: string) => fetch(`${consul.url}/v1/agent/service/deregister/${id}`, { method: 'PUT' }).then((r) => r.arrayBuffer());

async function consumer(address: string, watch: object = {}): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address }, watch: { retryDelay: '100ms', maxRetryDelay: '500ms', ...watch } }), { logger: false });
}

describe('ServiceDiscovery against a real Consul agent', () => {
  let consul: ConsulAgent;
  let app: INestApplicationContext;
  let discovery: ServiceDiscovery;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    consul = await startConsulAgent();
    app = await consumer(consul.httpAddr);
    discovery = app.get(ServiceDiscovery);
  });
  afterAll(async () => {
    subscriptions.forEach((s) => s.unsubscribe());
    await app?.close();
    await consul?.stop();
  });

  it('watch() sees a new instance within 1 s of its registration and loses a removed one within 1 s', async () => {
    const seen: Array<{ at: number; ids: string[] }> = [];
    subscriptions.push(discovery.watch('payments').subscribe((list) => seen.push({ at: Date.now(), ids: list.map((i) => i.id) })));
    await waitFor(() => seen.length > 0, { description: 'first emission' });
    expect(seen[0].ids).toEqual([]);

    const registeredAt = Date.now();
    await register(consul, 'payments', 'payments-1', 7001, ['v1']);
    const added = await waitFor(() => seen.find((s) => s.ids.includes('payments-1')), { timeout: 1_000, interval: 10, description: 'payments-1 seen' });
    expect(added.at - registeredAt).toBeLessThan(1_000);

    await deregister(consul, 'payments-1');
    await waitFor(() => seen.at(-1)!.ids.length === 0, { timeout: 1_000, interval: 10, description: 'payments-1 gone' });
  });

  it('getInstances filters by tags and by health, from the cache', async () => {
    await register(consul, 'catalog', 'catalog-a', 7101, ['v1']);
    await register(consul, 'catalog', 'catalog-b', 7102, ['v1', 'canary']);
    await waitFor(async () => (await discovery.getInstances('catalog')).length === 2, { description: 'two catalog instances' });
    expect((await discovery.getInstances('catalog', { tags: ['canary'] })).map((i) => i.id)).toEqual(['catalog-b']);
    const [instance] = await discovery.getInstances('catalog', { tags: ['canary'] });
    expect(instance).toMatchObject<Partial<ServiceInstance>>({ name: 'catalog', address: '127.0.0.1', port: 7102, health: 'passing', stale: false });

    await consul.put('/v1/agent/service/maintenance/catalog-a?enable=true');
    await waitFor(async () => (await discovery.getInstances('catalog')).length === 1, { timeout: 1_000, description: 'maintenance excludes catalog-a' });
    const all = await discovery.getInstances('catalog', { passingOnly: false });
    expect(all.find((i) => i.id === 'catalog-a')?.health).toBe('critical');
  });

  it('keeps serving the last known instances as stale while Consul is down, and recovers alone', async () => {
    await register(consul, 'inventory', 'inventory-1', 7201);
    await waitFor(async () => (await discovery.getInstances('inventory')).length === 1, { description: 'inventory known' });
    const stale = firstValueFrom(discovery.watch('inventory').pipe(filter((list) => list.length > 0 && list[0].stale)));

    await consul.stop();
    const staleList = await stale;
    expect(staleList.map((i) => i.id)).toEqual(['inventory-1']);
    const served = await discovery.getInstances('inventory');
    expect(served).toEqual([expect.objectContaining({ id: 'inventory-1', stale: true })]);

    await consul.start();
    await register(consul, 'inventory', 'inventory-2', 7202);
    const fresh = await firstValueFrom(discovery.watch('inventory').pipe(filter((list) => list.length > 0 && !list[0].stale)));
    expect(fresh.map((i) => i.id)).toEqual(['inventory-2']);
  });
});

describe('one shared blocking watch per service, about one request per wait period while idle', () => {
  let consul: ConsulAgent;
  let proxy: CountingProxy;

  beforeAll(async () => {
    consul = await startConsulAgent();
    proxy = await startCountingProxy(consul.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await consul?.stop();
  });

  it('two apps of one process share one watch, and idle it blocks instead of looping', async () => {
    await register(consul, 'ledger', 'ledger-1', 7301);
    const first = await consumer(proxy.addr, { wait: '1s' });
    const second = await consumer(proxy.addr, { wait: '1s' });
    try {
      const subs = [first, second].map((app) => app.get(ServiceDiscovery).watch('ledger').subscribe());
      await waitFor(async () => (await first.get(ServiceDiscovery).getInstances('ledger')).length === 1);
      await waitFor(async () => (await second.get(ServiceDiscovery).getInstances('ledger')).length === 1);
      const before = proxy.count('/v1/health/service/ledger');
      await sleep(5_000);
      const idleRequests = proxy.count('/v1/health/service/ledger') - before;
      // One blocking query per ~1 s wait (Consul adds up to wait/16 of jitter): 4 to 6 in 5 s, shared by both apps.
      expect(idleRequests).toBeGreaterThanOrEqual(3);
      expect(idleRequests).toBeLessThanOrEqual(6);
      subs.forEach((s) => s.unsubscribe());
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('ServiceDiscovery against a three-server Consul cluster', () => {
  it('keeps watching through the loss of a server and sees new registrations', async () => {
    const cluster = await startConsulCluster();
    const [, second, third] = cluster.nodes;
    const app = await consumer(second.httpAddr);
    try {
      const discovery = app.get(ServiceDiscovery);
      await register(second, 'shipping', 'shipping-1', 7401);
      await waitFor(async () => (await discovery.getInstances('shipping')).length === 1, { timeout: 5_000, description: 'shipping-1' });
      await cluster.nodes[0].kill();
      await register(third, 'shipping', 'shipping-2', 7402);
      await waitFor(async () => (await discovery.getInstances('shipping')).map((i) => i.id).join() === 'shipping-1,shipping-2', {
        timeout: 20_000,
        description: 'shipping-2 seen through the surviving servers',
      });
    } finally {
      await app.close();
      await cluster.stop();
    }
  });
});
