import { jest } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { InMemoryRegistryStore } from './in-memory-registry.store.js';
import { InMemoryServiceRegistry } from './in-memory.registry.js';

const registration = (id: string, ttl = 1_000): ServiceRegistration => ({
  id,
  name: 'orders',
  address: '127.0.0.1',
  port: 3000,
  tags: ['v1'],
  meta: {},
  weight: 1,
  ports: {},
  check: { type: 'ttl', ttl, deregisterCriticalServiceAfter: 5_000, initialStatus: 'passing' },
});

describe('InMemoryServiceRegistry', () => {
  afterEach(() => jest.useRealTimers());

  it('behaves like a Consul agent: TTL expiry, heartbeats, maintenance, reaping', async () => {
    jest.useFakeTimers();
    const registry = new InMemoryServiceRegistry(new InMemoryRegistryStore());
    const health = async () => (await firstValueFrom(registry.watch('orders'))).instances.map((i) => `${i.id}:${i.health}`);

    await registry.register(registration('a'));
    expect(await health()).toEqual(['a:passing']);
    jest.advanceTimersByTime(900);
    expect(await registry.reportHealth('a', 'warning', 'slow')).toBe('ok');
    jest.advanceTimersByTime(900);
    expect(await health()).toEqual(['a:warning']);
    jest.advanceTimersByTime(200);
    expect(await health()).toEqual(['a:critical']);
    jest.advanceTimersByTime(5_000);
    expect(await health()).toEqual([]);
    expect(await registry.reportHealth('a', 'passing', '')).toBe('unknown-instance');

    await registry.register(registration('b', 60_000));
    await registry.enterMaintenance('b');
    expect(await health()).toEqual(['b:critical']);
    await registry.deregister('b');
    expect(await registry.checkPresence('b')).toBe('unknown-instance');
  });

  it('carries weight and transport ports, showing the ports in meta as Consul does', async () => {
    const registry = new InMemoryServiceRegistry(new InMemoryRegistryStore());
    await registry.register({ ...registration('w', 60_000), weight: 7, ports: { tcp: 4001 } });
    const [instance] = (await firstValueFrom(registry.watch('orders'))).instances;
    expect(instance).toMatchObject({ weight: 7, ports: { tcp: 4001 }, meta: { 'nestmesh-port-tcp': '4001' } });
    await registry.deregister('w');
  });

  it('shares its default store between registries of one process', async () => {
    const first = new InMemoryServiceRegistry();
    const second = new InMemoryServiceRegistry();
    await first.register({ ...registration('shared', 60_000), name: 'shared-svc' });
    expect((await firstValueFrom(second.watch('shared-svc'))).instances.map((i) => i.id)).toEqual(['shared']);
    await first.deregister('shared');
  });

  it('forgets a service name once nothing watches it: names chosen by callers cannot grow the store without bound', async () => {
    const store = new InMemoryRegistryStore();
    const registry = new InMemoryServiceRegistry(store);
    for (let index = 0; index < 1_000; index += 1) await firstValueFrom(registry.watch(`name-${index}`));
    expect(store.watchedServices).toBe(0);
    const seen: string[][] = [];
    const subscription = registry.watch('orders').subscribe((snapshot) => seen.push(snapshot.instances.map((i) => i.id)));
    expect(store.watchedServices).toBe(1);
    await registry.register(registration('a'));
    expect(seen).toEqual([[], ['a']]);
    subscription.unsubscribe();
    expect(store.watchedServices).toBe(0);
    expect((await firstValueFrom(registry.watch('orders'))).instances.map((i) => i.id)).toEqual(['a']);
  });
});
