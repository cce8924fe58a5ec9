import { buildRegistration } from './build-registration.js';
import { defineService } from './service-definition.js';

describe('buildRegistration', () => {
  it('registers the real port, a stable ID and the version in meta, with a TTL check by default', () => {
    const definition = defineService({ name: 'orders', tags: ['a'], version: '2.0.0' }, {}, 'test', {});
    const registration = buildRegistration(definition, 41234, 'passing', true);
    expect(registration).toEqual({
      id: 'orders-127.0.0.1-41234',
      name: 'orders',
      address: '127.0.0.1',
      port: 41234,
      tags: ['a'],
      meta: { version: '2.0.0' },
      weight: 1,
      ports: {},
      check: { type: 'ttl', ttl: 10_000, deregisterCriticalServiceAfter: 60_000, initialStatus: 'passing' },
    });
  });

  it('takes the address from NESTMESH_SERVICE_ADDRESS, else a non-loopback IPv4 for a shared registry', () => {
    const fromEnv = defineService({ name: 'orders' }, {}, 'test', { NESTMESH_SERVICE_ADDRESS: '10.9.8.7' });
    expect(buildRegistration(fromEnv, 80, 'passing', false).address).toBe('10.9.8.7');
    const detected = buildRegistration(defineService({ name: 'orders' }, {}, 'test', {}), 80, 'passing', false).address;
    expect(detected).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('registers the address the server is bound to when it is a specific one, not a wildcard', () => {
    const definition = defineService({ name: 'orders' }, {}, 'test', {});
    expect(buildRegistration(definition, 80, 'passing', false, { boundAddress: '127.0.0.1' }).address).toBe('127.0.0.1');
    expect(buildRegistration(definition, 80, 'passing', false, { boundAddress: '::ffff:10.1.2.3' }).address).toBe('10.1.2.3');
    expect(buildRegistration(definition, 80, 'passing', false, { boundAddress: '0.0.0.0' }).address).not.toBe('0.0.0.0');
    expect(buildRegistration(definition, 80, 'passing', false, { boundAddress: '::' }).address).not.toBe('::');
    const configured = defineService({ name: 'orders', address: '10.0.0.9' }, {}, 'test', {});
    expect(buildRegistration(configured, 80, 'passing', false, { boundAddress: '127.0.0.1' }).address).toBe('10.0.0.9');
  });

  it("accepts 'ttl' and 'http' as shorthands, and interval as the TTL heartbeat", () => {
    expect(buildRegistration(defineService({ name: 'o', check: 'http' }, {}, 't', {}), 80, 'passing', true).check?.type).toBe('http');
    expect(defineService({ name: 'o', check: 'ttl' }, {}, 't', {}).check).toEqual({ type: 'ttl', ttl: 10_000, heartbeatInterval: 3_333, deregisterCriticalServiceAfter: 60_000 });
    expect(defineService({ name: 'o', check: { ttl: '3s', interval: '1s' } }, {}, 't', {}).check).toMatchObject({ heartbeatInterval: 1_000 });
    expect(() => defineService({ name: 'o', check: 'tcp' as never }, {}, 't', {})).toThrow(/invalid check "tcp"/);
  });

  it('lets the module options override the decorator, and builds the HTTP check URL', () => {
    const definition = defineService({ name: 'orders', port: 1 }, { port: 8080, address: '::1', check: { type: 'http', interval: '5s' } }, 'test', {});
    const registration = buildRegistration(definition, 3000, 'passing', false);
    expect(registration.port).toBe(8080);
    expect(registration.id).toBe('orders---1-8080');
    expect(registration.check).toEqual({ type: 'http', url: 'http://[::1]:8080/_nestmesh/health', interval: 5_000, timeout: 5_000, deregisterCriticalServiceAfter: 60_000 });
  });

  it('registers the weight and the ports found on transports, the ports option winning', () => {
    const definition = defineService({ name: 'orders', weight: 5, ports: { grpc: 5001 } }, {}, 'test', {});
    expect(buildRegistration(definition, 80, 'passing', true, { ports: { tcp: 4001 } })).toMatchObject({ weight: 5, ports: { tcp: 4001, grpc: 5001 } });
    const pinned = defineService({ name: 'orders', ports: { tcp: 4999 } }, { weight: 2 }, 'test', {});
    expect(buildRegistration(pinned, 80, 'passing', true, { ports: { tcp: 4001 } })).toMatchObject({ weight: 2, ports: { tcp: 4999 } });
  });

  it.each([0, -1, 1.5, 65_536, '3', Number.NaN])('refuses the weight %p at definition time, naming the value and the fix', (weight) => {
    expect(() => defineService({ name: 'orders', weight: weight as never }, {}, '@Discoverable() on AppModule', {})).toThrow(
      /^@Discoverable\(\) on AppModule: invalid weight .*integer from 1 to 65535/,
    );
  });

  it.each([{ tcp: 0 }, { tcp: '4001' }, { 'has space': 4001 }, [4001], 'tcp:4001', { tcp: 70_000 }])('refuses the ports %p', (ports) => {
    expect(() => defineService({ name: 'orders', ports: ports as never }, {}, 'test', {})).toThrow(/^test: invalid ports .*e\.g\. \{ tcp: 4001 \}/);
  });
});
