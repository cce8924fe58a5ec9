import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { toServiceInstance } from './consul-answer.js';
import { toConsulServiceBody } from './consul-service-body.js';

const registration: ServiceRegistration = {
  id: 'orders-10.0.0.5-3000',
  name: 'orders',
  address: '10.0.0.5',
  port: 3000,
  tags: ['http'],
  meta: { version: '1.0.0' },
  weight: 4,
  ports: { tcp: 4001 },
};

describe('Consul service body and health entry', () => {
  it('sends the weight as Weights.Passing and the ports as nestmesh-port-<transport> meta', () => {
    expect(toConsulServiceBody(registration)).toEqual({
      ID: 'orders-10.0.0.5-3000',
      Name: 'orders',
      Address: '10.0.0.5',
      Port: 3000,
      Tags: ['http'],
      Meta: { version: '1.0.0', 'nestmesh-port-tcp': '4001' },
      Weights: { Passing: 4, Warning: 1 },
      EnableTagOverride: false,
      Check: undefined,
    });
  });

  it('reads them back from a health entry, ports staying visible in meta; weight 1 when Consul has none', () => {
    const body = toConsulServiceBody(registration) as { Meta: Record<string, string>; Weights: { Passing: number } };
    const entry = { Service: { ID: registration.id, Service: 'orders', Address: '10.0.0.5', Port: 3000, Meta: body.Meta, Weights: body.Weights }, Checks: [] };
    expect(toServiceInstance(entry, 'orders')).toMatchObject({ weight: 4, ports: { tcp: 4001 }, meta: { version: '1.0.0', 'nestmesh-port-tcp': '4001' } });
    expect(toServiceInstance({ Service: { ID: 'x', Port: 1 } }, 'orders')).toMatchObject({ weight: 1, ports: {}, meta: {} });
  });

  it('reads Consul weights as a positive integer, 1 when absent or odd', () => {
    const weightOf = (passing: unknown) =>
      toServiceInstance({ Service: { ID: 'x', Port: 1, Weights: { Passing: passing as number } } }, 'orders').weight;
    expect(weightOf(10)).toBe(10);
    expect([undefined, null, 0, -3, 1.5, '4'].map(weightOf)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
