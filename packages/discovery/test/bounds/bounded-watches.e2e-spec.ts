import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { sleep, startConsulAgent, startCountingProxy, waitFor, type ConsulAgent, type CountingProxy } from '@nestmesh/testing';
import { filter, firstValueFrom } from 'rxjs';
import { ServiceDiscovery } from '../../src/index.js';
import { consumerAppModule } from '../support/test-app.js';

/** The documented cap: 16 connections for calls plus 48 for blocking queries, per Consul address and process. */
const CONNECTION_CAP = 64;

const register = (consul: ConsulAgent, name: string, id: string, port: number) =>
  consul.put('/v1/agent/service/register', { Name: name, ID: id, Address: '127.0.0.1', Port: port });

describe('watches end, and connections to Consul stay bounded (a real agent behind a counting proxy)', () => {
  let consul: ConsulAgent;
  let proxy: CountingProxy;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    consul = await startConsulAgent();
    proxy = await startCountingProxy(consul.url);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await proxy?.close();
    await consul?.stop();
  });

  const consumer = async (watch: object) => {
    app = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: proxy.addr }, watch }), { logger: false });
    return app.get(ServiceDiscovery);
  };

  it('300 watched names use at most the documented number of connections, and real services are still found and followed', async () => {
    await register(consul, 'real', 'real-1', 7501);
    const discovery = await consumer({ linger: '1s' });
    const names = Array.from({ length: 300 }, (_, i) => `ghost-${i}`);
    const subscriptions = names.map((name) => discovery.watch(name).subscribe());
    try {
      const lists = await Promise.all(names.map((name) => discovery.getInstances(name)));
      expect(lists.every((list) => list.length === 0)).toBe(true);
      expect((await discovery.getInstances('real')).map((i) => i.id)).toEqual(['real-1']);

      // A change is still seen while 301 services share the watch connections.
      const both = firstValueFrom(discovery.watch('real').pipe(filter((list) => list.length === 2)));
      await register(consul, 'real', 'real-2', 7502);
      expect((await both).map((i) => i.id)).toEqual(['real-1', 'real-2']);
      expect(proxy.peakConnections()).toBeLessThanOrEqual(CONNECTION_CAP);
    } finally {
      subscriptions.forEach((s) => s.unsubscribe());
    }
  }, 60_000);

  it('a released watch ends after the linger, and so does a getInstances() that is not repeated', async () => {
    const discovery = await consumer({ wait: '1s', linger: '500ms' });
    const subscription = discovery.watch('brief').subscribe();
    await waitFor(() => proxy.count('/v1/health/service/brief') >= 2, { description: 'brief watched with blocking queries' });
    subscription.unsubscribe();
    await discovery.getInstances('once');
    expect(discovery.watchedServices().sort()).toEqual(['brief', 'once']);

    await waitFor(() => discovery.watchedServices().length === 0, { timeout: 3_000, description: 'both caches closed after the linger' });
    await sleep(500); // an aborted query may still be on its way
    const counts = () => [proxy.count('/v1/health/service/brief'), proxy.count('/v1/health/service/once')];
    const before = counts();
    await sleep(2_500); // more than two blocking-query waits
    expect(counts()).toEqual(before);
  });
});
