import { firstValueFrom } from 'rxjs';
import { StaticServiceRegistry } from './static.registry.js';

describe('StaticServiceRegistry', () => {
  it('serves configured instances, passing', async () => {
    const registry = new StaticServiceRegistry({ orders: ['10.0.0.5:3000', { address: 'orders-2.internal', port: 3001, tags: ['v2'] }] });
    const { instances } = await firstValueFrom(registry.watch('orders'));
    expect(instances.map((i) => [i.id, i.address, i.port, i.tags, i.health])).toEqual([
      ['orders-10.0.0.5-3000', '10.0.0.5', 3000, [], 'passing'],
      ['orders-orders-2.internal-3001', 'orders-2.internal', 3001, ['v2'], 'passing'],
    ]);
    expect((await firstValueFrom(registry.watch('unknown'))).instances).toEqual([]);
    // A name asked for is not kept: names from user input cannot grow the registry.
    expect(registry.describe()).toBe('the static list of ServiceDiscoveryModule (staticServices: 1 service(s))');
    expect(instances.map((i) => [i.weight, i.ports])).toEqual([
      [1, {}],
      [1, {}],
    ]);
  });

  it('carries weight and transport ports, visible in meta as Consul shows them', async () => {
    const registry = new StaticServiceRegistry({ orders: [{ address: '10.0.0.5', port: 3000, weight: 3, ports: { tcp: 4001 } }] });
    const [instance] = (await firstValueFrom(registry.watch('orders'))).instances;
    expect(instance).toMatchObject({ weight: 3, ports: { tcp: 4001 }, meta: { 'nestmesh-port-tcp': '4001' } });
  });

  it.each(['10.0.0.5', '10.0.0.5:0', ':3000', { address: '', port: 1 }, { address: 'a', port: 1, weight: 0 }, { address: 'a', port: 1, ports: { tcp: 0 } }])('refuses the instance %p', (input) => {
    expect(() => new StaticServiceRegistry({ orders: [input as never] })).toThrow(/invalid static instance of "orders"/);
  });

  it.each([
    ['nestmesh-port-tcp', 'abc'],
    ['nestmesh-port-tcp', '70000'],
    ['nestmesh-port-t.cp', '4001'],
  ])('refuses meta %p = %p, a transport port meta that is no port, naming it (instead of dropping the port)', (key, value) => {
    const input = { address: '127.0.0.1', port: 3000, meta: { [key]: value } };
    expect(() => new StaticServiceRegistry({ orders: [input] })).toThrow(`meta "${key}" is "${value}"`);
  });
});
