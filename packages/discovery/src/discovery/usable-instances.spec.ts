import type { ServiceInstance } from '../interfaces/service-instance.interface.js';
import { withUsableInstances } from './usable-instances.js';

const instance = (id: string, address: string, port = 8080): ServiceInstance => ({
  id,
  name: 'orders',
  address,
  port,
  tags: [],
  meta: {},
  weight: 1,
  ports: {},
  health: 'passing',
  stale: false,
});

describe('withUsableInstances', () => {
  it('hands the snapshot on untouched when every instance can be called', () => {
    const snapshot = { instances: [instance('u-a', '10.0.0.5'), instance('u-b', '::1'), instance('u-c', 'orders.internal')], stale: false, loaded: true };
    const warnings: string[] = [];
    expect(withUsableInstances(snapshot, 'orders', { warn: (m: string) => void warnings.push(m) })).toBe(snapshot);
    expect(warnings).toEqual([]);
  });

  it('leaves out bad addresses and ports with one warning per instance, however many snapshots carry it', () => {
    const bad = [instance('u-bracket', '[::1]'), instance('u-url', 'http://127.0.0.1'), instance('u-port-in', '127.0.0.1:8080'), instance('u-empty', ''), instance('u-zero', '127.0.0.1', 0), instance('u-big', '127.0.0.1', 70_000)];
    const snapshot = { instances: [instance('u-good', '127.0.0.1'), ...bad], stale: false, loaded: true };
    const warnings: string[] = [];
    const logger = { warn: (m: string) => void warnings.push(m) };
    for (let i = 0; i < 3; i++) expect(withUsableInstances(snapshot, 'orders', logger).instances.map((i) => i.id)).toEqual(['u-good']);
    expect(warnings).toHaveLength(bad.length);
    expect(warnings[0]).toBe(
      'Skipped instance "u-bracket" of "orders": it is registered with address "[::1]" and port 8080, which cannot be called. ' +
        'The address must be a bare IPv4 or IPv6 address (no brackets) or a host name, without scheme or port (e.g. "10.0.0.5"), ' +
        "and the port an integer from 1 to 65535: fix that instance's registration (Consul's service Address and Port).",
    );
    expect(warnings[4]).toMatch(/"u-zero" .* address "127\.0\.0\.1" and port 0,/);
  });
});
