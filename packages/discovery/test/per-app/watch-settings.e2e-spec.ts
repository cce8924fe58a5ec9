import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startConsulAgent, startCountingProxy, waitFor, type ConsulAgent, type CountingProxy } from '@nestmesh/testing';
import type { Subscription } from 'rxjs';
import { ServiceDiscovery } from '../../src/index.js';
import { consumerAppModule } from '../support/test-app.js';

const PATH = '/v1/health/service/settings-orders';

/** The `wait` of every blocking query the proxy forwarded for the service. */
function waitsSeen(proxy: CountingProxy): Set<string> {
  const waits = proxy.requests
    .filter((entry) => entry.url.split('?')[0] === PATH)
    .map((entry) => new URL(entry.url, 'http://proxy').searchParams.get('wait'))
    .filter((wait): wait is string => wait !== null);
  return new Set(waits);
}

describe('two apps of one process with different watch settings (a real agent behind a counting proxy)', () => {
  let consul: ConsulAgent;
  let proxy: CountingProxy;
  const apps: INestApplicationContext[] = [];
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    consul = await startConsulAgent();
    proxy = await startCountingProxy(consul.url);
    await consul.put('/v1/agent/service/register', { Name: 'settings-orders', ID: 'settings-orders-1', Address: '127.0.0.1', Port: 7601 });
  });
  afterAll(async () => {
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    for (const app of apps) await app.close();
    await proxy?.close();
    await consul?.stop();
  });

  const consumer = async (wait: `${number}s`) => {
    const app = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: proxy.addr }, watch: { wait } }), { logger: false });
    apps.push(app);
    return app.get(ServiceDiscovery);
  };

  it('each app watches with its own settings, not those of the app that subscribed first', async () => {
    const first = await consumer('7s');
    const second = await consumer('3s');
    subscriptions.push(first.watch('settings-orders').subscribe());
    expect((await first.getInstances('settings-orders')).map((i) => i.id)).toEqual(['settings-orders-1']);
    await waitFor(() => waitsSeen(proxy).has('7s'), { timeout: 20_000, description: "a blocking query with the first app's wait" });

    subscriptions.push(second.watch('settings-orders').subscribe());
    expect((await second.getInstances('settings-orders')).map((i) => i.id)).toEqual(['settings-orders-1']);
    await waitFor(() => waitsSeen(proxy).has('3s'), { timeout: 20_000, description: "a blocking query with the second app's wait" });
    expect([...waitsSeen(proxy)].sort()).toEqual(['3s', '7s']);
  });
});
