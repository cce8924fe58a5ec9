import { NestFactory } from '@nestjs/core';
import { CapturingLogger, waitFor } from '@nestmesh/testing';
import { type Subscription } from 'rxjs';
import { InMemoryRegistryStore, InMemoryServiceRegistry, ServiceDiscovery, type ServiceInstance, type ServiceRegistration } from '../../src/index.js';
import { consumerAppModule } from '../support/test-app.js';

const registration = (id: string, address: string, port: number): ServiceRegistration => ({ id, name: 'ledger', address, port, tags: [], meta: {}, weight: 1, ports: {} });

describe('instances whose address or port cannot be called are not handed out', () => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  beforeAll(() => process.on('uncaughtException', onUncaught));
  afterAll(() => process.off('uncaughtException', onUncaught));

  it('in-memory registry: a watcher keeps getting the good instances, with one warning per bad one, nothing thrown', async () => {
    const store = new InMemoryRegistryStore();
    const logger = new CapturingLogger();
    const app = await NestFactory.createApplicationContext(consumerAppModule({ registry: new InMemoryServiceRegistry(store) }), { logger });
    const subscriptions: Subscription[] = [];
    try {
      const discovery = app.get(ServiceDiscovery);
      store.register(registration('ledger-good', '127.0.0.1', 4100));
      const seen: string[][] = [];
      subscriptions.push(discovery.watch('ledger', { passingOnly: false }).subscribe((list: ServiceInstance[]) => seen.push(list.map((instance) => instance.id))));
      store.register(registration('ledger-empty', '', 4100));
      store.register(registration('ledger-bracketed', '[::1]', 4100));
      store.register(registration('ledger-port-zero', '127.0.0.1', 0));
      store.register(registration('ledger-port-big', '127.0.0.1', 65_536));
      // Later updates carry the bad entries again: still one warning each.
      store.register(registration('ledger-good-2', 'ledger.internal', 4101));
      store.update('ledger-good', { status: 'warning' });
      await waitFor(() => seen.at(-1)?.join() === 'ledger-good,ledger-good-2', { description: 'both good instances watched' });
      expect(seen.every((ids) => ids.every((id) => id === 'ledger-good' || id === 'ledger-good-2'))).toBe(true);
      expect((await discovery.getInstances('ledger', { passingOnly: false })).map((instance) => instance.id)).toEqual(['ledger-good', 'ledger-good-2']);
      for (const [id, address] of [['ledger-empty', '""'], ['ledger-bracketed', '"[::1]"'], ['ledger-port-zero', '"127.0.0.1" and port 0'], ['ledger-port-big', 'port 65536']]) {
        const lines = logger.matching(new RegExp(`"${id}"`)).filter((line) => line.level === 'warn');
        expect(lines).toHaveLength(1);
        expect(lines[0].message).toContain(address);
        expect(lines[0].message).toMatch(/fix that instance's registration/);
      }
      expect(uncaught).toEqual([]);
    } finally {
      subscriptions.forEach((subscription) => subscription.unsubscribe());
      await app.close();
      store.clear();
    }
  });

  it('static registry: an address with a scheme is skipped, the good instance served', async () => {
    const logger = new CapturingLogger();
    const app = await NestFactory.createApplicationContext(
      consumerAppModule({ registry: 'static', staticServices: { ledger: [{ address: 'http://127.0.0.1', port: 4100, id: 'static-url' }, '127.0.0.1:4101'] } }),
      { logger },
    );
    try {
      expect((await app.get(ServiceDiscovery).getInstances('ledger')).map((instance) => `${instance.address}:${instance.port}`)).toEqual(['127.0.0.1:4101']);
      expect(logger.matching(/"static-url" of "ledger".*"http:\/\/127\.0\.0\.1"/)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
