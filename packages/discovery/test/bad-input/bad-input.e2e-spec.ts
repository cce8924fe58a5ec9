import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getFreePort } from '@nestmesh/testing';
import {
  Discoverable,
  ServiceDiscovery,
  isDiscoveryConfigurationError,
  isInstancesUnavailableError,
  isRegistryUnreachableError,
  type DiscoverableOptions,
  type ServiceDiscoveryModuleOptions,
} from '../../src/index.js';
import { bootError } from '../support/boot-error.js';
import { consumerAppModule, discoverableAppModule } from '../support/test-app.js';


const inMemory = { registry: 'in-memory' as const };

describe('bad input gets a clear error naming the value', () => {
  it.each<[string, Partial<DiscoverableOptions>, RegExp]>([
    ['an invalid service name', { name: 'orders_api!' }, /invalid service name "orders_api!".*DNS-safe/],
    ['a name too long for DNS', { name: 'x'.repeat(64) }, /invalid service name "x{64}"/],
    ['a port out of range', { port: 70_000 }, /invalid port 70000\. A port must be an integer from 1 to 65535/],
    ['a negative port', { port: -1 }, /invalid port -1/],
    ['an address with a scheme', { address: 'http://10.0.0.5' }, /invalid address "http:\/\/10\.0\.0\.5"/],
    ['a malformed TTL', { check: { ttl: 'soon' as never } }, /Invalid duration for "@Discoverable\(\) on \w+ check\.ttl": "soon"/],
    ['a heartbeat slower than the TTL', { check: { ttl: '2s', heartbeatInterval: '5s' } }, /heartbeatInterval \(5000 ms\) must be shorter than check\.ttl \(2000 ms\)/],
    ['a meta key Consul refuses', { meta: { 'bad key': 'x' } }, /invalid meta entry "bad key"/],
    ['a reserved nestmesh- meta key', { meta: { 'nestmesh-probe': 'no' } }, /meta key "nestmesh-probe" is reserved/],
    ['the owner meta key', { meta: { 'nestmesh-owner': 'me' } }, /meta key "nestmesh-owner" is reserved/],
    ['a transport port given as meta', { meta: { 'nestmesh-port-tcp': '4001' } }, /meta key "nestmesh-port-tcp" is reserved.*ports: \{ tcp: 4001 \}/],
    ['a weight of zero', { weight: 0 }, /invalid weight 0\. A weight is an integer from 1 to 65535/],
    ['a fractional weight', { weight: 1.5 }, /invalid weight 1\.5/],
    ['a transport port out of range', { ports: { tcp: 70_000 } }, /invalid ports \{"tcp":70000\}.*e\.g\. \{ tcp: 4001 \}/],
    ['an unknown check type', { check: { type: 'tcp' } as never }, /invalid check \{"type":"tcp"\}/],
    ['a deregisterCriticalServiceAfter under Consul\'s 1m minimum', { check: { deregisterCriticalServiceAfter: '30s' } }, /check\.deregisterCriticalServiceAfter": "30s" is under Consul's minimum of 1m/],
  ])('%s fails the bootstrap', async (_, options, message) => {
    const error = await bootError(discoverableAppModule({ name: 'orders', ...options } as DiscoverableOptions, inMemory));
    expect(isDiscoveryConfigurationError(error)).toBe(true);
    expect(error.name).toBe('DiscoveryConfigurationError');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('@Discoverable() on DiscoverableAppModule');
  });

  const orders = (service: Partial<DiscoverableOptions>) => ({ ...inMemory, service: { name: 'orders', ...service } });
  const staticOrders = (...instances: object[]) => ({ registry: 'static' as const, staticServices: { orders: instances as never } });
  it.each<[string, ServiceDiscoveryModuleOptions, string]>([
    ['a check.path that is no string', orders({ check: { type: 'http', path: 5 as never } }), 'invalid "check.path" 5. Use a path starting with "/"'],
    ['a check.scheme other than http or https', orders({ check: { type: 'http', scheme: 'ftp' as never } }), 'invalid "check.scheme" "ftp". Use \'http\' or \'https\''],
    ['an enabled that is no boolean', orders({ enabled: 'false' as never }), 'invalid "enabled" "false". Use true or false'],
    ['a failFast that is no boolean', { ...inMemory, failFast: 'false' as never }, 'invalid "failFast" "false". Use true or false'],
    ['a consul.address that is no string', { registry: 'consul', consul: { address: 8500 as never } }, 'invalid "consul.address" 8500. Use a string'],
    ['a consul.token that is no string', { registry: 'consul', failFast: false, consul: { address: '127.0.0.1:1', token: 123 as never } }, 'invalid "consul.token" 123. Use a string'],
    ['a static service that is no array', { registry: 'static', staticServices: { orders: '10.0.0.5:3000' as never } }, 'invalid "staticServices.orders" "10.0.0.5:3000". Use an array'],
    ['health.indicators that are no array of functions', { ...inMemory, health: { indicators: 'x' as never } }, 'invalid "health.indicators" "x". Use an array of terminus indicator functions'],
    ['a shutdown section that is no object', { ...inMemory, shutdown: '5s' as never }, 'invalid "shutdown" "5s". Use an object'],
    ['a watch section that is no object', { ...inMemory, watch: 30_000 as never }, 'invalid "watch" 30000. Use an object'],
    ['static tags that are no array', staticOrders({ address: '10.0.0.5', port: 3000, tags: 'v2' }), 'staticServices.orders[0]: invalid tags "v2". Tags must be an array'],
    ['a static meta value that is no string', staticOrders({ address: '10.0.0.5', port: 3000, meta: { zone: 5 } }), 'staticServices.orders[0]: invalid meta entry "zone": 5.'],
    ['two static instances with one id', staticOrders({ address: '10.0.0.7', port: 3000, id: 'same' }, { address: '10.0.0.8', port: 3000, id: 'same' }), 'staticServices.orders[1]: id "same" is already'],
  ])('%s fails the bootstrap with a DiscoveryConfigurationError', async (_, options, message) => {
    const error = await bootError(consumerAppModule(options));
    expect(isDiscoveryConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(/^ServiceDiscoveryModule/);
    expect(error.message).toContain(message);
  });

  it('an unreachable Consul at boot fails fast, naming the address', async () => {
    const port = await getFreePort();
    const error = await bootError(discoverableAppModule({ name: 'orders' }, { registry: 'consul', consul: { address: `127.0.0.1:${port}` } }));
    expect(isRegistryUnreachableError(error)).toBe(true);
    expect(error.message).toContain(`Consul is unreachable at http://127.0.0.1:${port}`);
    expect(error.message).toContain('failFast: false');
  });

  it('with failFast: false the app starts, and getInstances says the registry never answered', async () => {
    const port = await getFreePort();
    const app = await NestFactory.createApplicationContext(
      consumerAppModule({ registry: 'consul', failFast: false, consul: { address: `127.0.0.1:${port}` }, watch: { initialTimeout: '2s' } }),
      { logger: false },
    );
    try {
      const error = await app.get(ServiceDiscovery).getInstances('orders').catch((e: Error) => e);
      expect(isInstancesUnavailableError(error)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`No instances of "orders" are known yet: Consul at http://127\\.0\\.0\\.1:${port} did not answer \\(Consul is unreachable`));
    } finally {
      await app.close();
    }
  });

  it('an invalid CONSUL_HTTP_ADDR is named with its source', async () => {
    const saved = process.env.CONSUL_HTTP_ADDR;
    process.env.CONSUL_HTTP_ADDR = 'http://';
    try {
      const error = await NestFactory.createApplicationContext(consumerAppModule({}), { logger: false, abortOnError: false }).catch((e: Error) => e);
      expect(isDiscoveryConfigurationError(error)).toBe(true);
      expect((error as Error).message).toBe('Invalid Consul address "http://" (from CONSUL_HTTP_ADDR). Use "host:port" or "http(s)://host:port", e.g. CONSUL_HTTP_ADDR=127.0.0.1:8500.');
    } finally {
      if (saved === undefined) delete process.env.CONSUL_HTTP_ADDR;
      else process.env.CONSUL_HTTP_ADDR = saved;
    }
  });

  it.each([[0], ['0s'], ['500ms'], ['11m']])('watch.wait %p is refused (0 would poll Consul in a busy loop)', async (wait) => {
    const error = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'in-memory', watch: { wait: wait as never } }), { logger: false, abortOnError: false }).catch((e: Error) => e);
    expect(isDiscoveryConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^Invalid duration for "watch\\.wait": ${JSON.stringify(wait)}\\. A blocking query waits from 1s to 10m`));
  });

  it.each([
    ['consul.requestTimeout', { consul: { requestTimeout: '600h' as const } }, '"600h"'],
    ['watch.initialTimeout', { watch: { initialTimeout: 2 ** 31 } }, '2147483648'],
    ['shutdown.timeout', { shutdown: { timeout: '1000h' as const } }, '"1000h"'],
  ])('%s over 2^31-1 ms (Node fires longer timers after 1 ms) is refused at bootstrap', async (option, options, shown) => {
    const error = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'in-memory', ...options }), { logger: false, abortOnError: false }).catch((e: Error) => e);
    expect(isDiscoveryConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain(`Invalid duration for "${option}": ${shown}.`);
    expect((error as Error).message).toContain('2147483647');
  });

  it('a query string in the Consul address is refused, pointing at the right options', async () => {
    const error = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: '127.0.0.1:8500?token=secret&dc=eu' } }), { logger: false, abortOnError: false }).catch(
      (e: Error) => e,
    );
    expect(isDiscoveryConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Invalid Consul address "127\.0\.0\.1:8500\?token=secret&dc=eu" \(from the consul\.address option\): a path, query string/);
    expect((error as Error).message).toContain('CONSUL_HTTP_TOKEN (or consul.token)');
  });

  it('an unknown registry kind is refused', async () => {
    const error = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'etcd' as never }), { logger: false, abortOnError: false }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/invalid "registry" option "etcd"/);
  });

  it('two @Discoverable() in one app are refused, naming both', async () => {
    @Discoverable({ name: 'second' })
    @Module({})
    class SecondModule {}
    @Discoverable({ name: 'first' })
    @Module({ imports: [SecondModule, discoverableAppModule({ name: 'third', enabled: false }, inMemory)] })
    class FirstModule {}
    const error = await bootError(FirstModule);
    expect(error.message).toMatch(/@Discoverable\(\) is on both @Discoverable\(\) on \w+Module and @Discoverable\(\) on \w+Module/);
  });

  it('getInstances and watch refuse an invalid service name', async () => {
    const app = await NestFactory.createApplicationContext(consumerAppModule(inMemory), { logger: false });
    try {
      const discovery = app.get(ServiceDiscovery);
      await expect(discovery.getInstances('no spaces')).rejects.toThrow('ServiceDiscovery.getInstances(): invalid service name "no spaces"');
      expect(() => discovery.watch('')).toThrow('ServiceDiscovery.watch(): invalid service name ""');
    } finally {
      await app.close();
    }
  });
});
