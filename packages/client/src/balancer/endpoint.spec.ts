import type { ServiceInstance } from '@nestmesh/discovery';
import { Endpoint, weightOf } from './endpoint.js';

const instance = (extra: Partial<ServiceInstance> = {}) =>
  ({ id: 'a', name: 's', address: '127.0.0.1', port: 1, tags: [], meta: {}, health: 'passing', stale: false, weight: 1, ports: {}, ...extra }) as ServiceInstance;

describe('Endpoint latency (peak EWMA)', () => {
  it('jumps to a slower answer at once, and comes down step by step with faster ones', () => {
    const endpoint = new Endpoint(instance(), null);
    expect(endpoint.latency(0)).toBe(0);
    endpoint.observe(10, 0);
    expect(endpoint.latency(0)).toBe(10);
    endpoint.observe(100, 1);
    expect(endpoint.latency(1)).toBeCloseTo(100, 0);
    let previous = endpoint.latency(2);
    for (let t = 2; t < 40; t++) {
      endpoint.observe(10, t);
      expect(endpoint.latency(t)).toBeLessThan(previous);
      previous = endpoint.latency(t);
    }
    expect(previous).toBeLessThan(12);
  });

  it('decays while idle, so an avoided instance is probed again', () => {
    const endpoint = new Endpoint(instance(), null);
    endpoint.observe(100, 0);
    expect(endpoint.latency(10_000)).toBeCloseTo(100 / Math.E, 1);
  });
});

describe('weightOf', () => {
  it("reads Consul's weight, 1 when absent or invalid", () => {
    expect(weightOf(instance({ weight: 5 }))).toBe(5);
    expect(weightOf(instance({ weight: undefined as unknown as number }))).toBe(1);
    expect(weightOf(instance({ weight: 0 }))).toBe(1);
  });
});
