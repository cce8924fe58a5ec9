import type { ServiceInstance } from '@nestmesh/discovery';
import { resolveServiceOptions } from '../options/resolve-service-options.js';
import { Endpoint } from './endpoint.js';
import { originSource, type InstanceSource } from './instance-source.js';
import { MAX_INSTANCE_WAIT_MS, ServiceBalancer } from './service-balancer.js';

describe('ServiceBalancer.defer', () => {
  // The balancer's instance source is only used once it loads, which these tests never ask for.
  const balancer = new ServiceBalancer<null>(resolveServiceOptions('s'), undefined as unknown as InstanceSource, {
    key: (instance) => instance.id,
    create: () => null,
    close: async () => undefined,
  });
  const endpoint = () => new Endpoint({ id: 'a', name: 's', address: '127.0.0.1', port: 1, tags: [], meta: {}, health: 'passing', stale: false, weight: 1, ports: {} } as ServiceInstance, null);

  it.each<[string | number, number]>([
    ['5', 5_000],
    ['0.5', 500],
    [1_500, 1_500],
    ['86400', MAX_INSTANCE_WAIT_MS],
    [Number.MAX_VALUE, MAX_INSTANCE_WAIT_MS],
  ])('holds the instance for Retry-After %p, at most 5 minutes', (asked, ms) => {
    const held = endpoint();
    balancer.defer(held, asked, 1_000);
    expect(held.notBefore).toBe(1_000 + ms);
  });

  it('reads an HTTP date', () => {
    const held = endpoint();
    balancer.defer(held, new Date(Date.now() + 60_000).toUTCString(), 0);
    expect(held.notBefore).toBeGreaterThan(55_000);
    expect(held.notBefore).toBeLessThanOrEqual(60_000);
  });

  it.each([undefined, '', 'soon', '0', '-3', 0, -1, Number.NaN, Infinity])('ignores %p', (asked) => {
    const held = endpoint();
    balancer.defer(held, asked as string | number | undefined, 1_000);
    expect(held.notBefore).toBe(0);
  });

  it('never shortens a longer wait already asked for', () => {
    const held = endpoint();
    balancer.defer(held, '10', 0);
    balancer.defer(held, '1', 0);
    expect(held.notBefore).toBe(10_000);
  });
});

describe('ServiceBalancer.retryWait', () => {
  it("gives the wait the only instance asked for in whole milliseconds, never above it (the float noise of (now + ms) - now)", async () => {
    const balancer = new ServiceBalancer<null>(resolveServiceOptions('s'), originSource('s', new URL('http://127.0.0.1:1')), {
      key: (instance) => instance.id,
      create: () => null,
      close: async () => undefined,
    });
    await balancer.ready();
    const [only] = balancer.all();
    const now = 4_193_679.1132222726; // (now + 1000) - now is 1000.0000000004657 here
    balancer.defer(only, '1', now);
    expect(balancer.retryWait(new Set([only]), now)).toBe(1_000);
    expect(balancer.retryWait(new Set([only]), now + 0.5)).toBe(1_000);
    expect(balancer.retryWait(new Set([only]), now + 999.5)).toBe(1);
    expect(balancer.retryWait(new Set([only]), now + 1_000)).toBe(0);
  });
});
