import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Discoverable, ServiceDiscoveryModule, isDiscoveryConfigurationError, type DiscoverableOptions, type ServiceDiscoveryModuleOptions } from '../../src/index.js';
import { bootError } from '../support/boot-error.js';
import { consumerAppModule, discoverableAppModule } from '../support/test-app.js';

const inMemory = { registry: 'in-memory' as const };

/** Boots an application context of `module` and returns the error its bootstrap failed with. */
async function contextError(module: Parameters<typeof NestFactory.createApplicationContext>[0]): Promise<Error> {
  const result = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false }).then(
    async (app) => {
      await app.close();
      return undefined;
    },
    (error: Error) => error,
  );
  if (!result) throw new Error('expected the bootstrap to fail, but it succeeded');
  return result;
}

describe('unknown option keys fail the bootstrap, naming the key and the closest valid one', () => {
  it.each<[string, ServiceDiscoveryModuleOptions, string, string]>([
    ['"healt" (health)', { ...inMemory, healt: { timeout: '1s' } } as never, 'healt', 'health'],
    ['"servce" (service)', { ...inMemory, servce: { name: 'orders' } } as never, 'servce', 'service'],
    ['"failfast" (failFast, case only)', { ...inMemory, failfast: false } as never, 'failfast', 'failFast'],
    ['"watch.wiat"', { ...inMemory, watch: { wiat: '10s' } } as never, 'watch.wiat', 'wait'],
    ['"consul.tokn"', { registry: 'consul', consul: { address: '127.0.0.1:1', tokn: 'secret' } } as never, 'consul.tokn', 'token'],
    ['"shutdown.drainDelai"', { ...inMemory, shutdown: { drainDelai: '1s' } } as never, 'shutdown.drainDelai', 'drainDelay'],
    ['"service.chek"', { ...inMemory, service: { name: 'orders', chek: false } } as never, 'service.chek', 'check'],
    ['"staticServices.orders[0].prot"', { registry: 'static', staticServices: { orders: [{ address: '127.0.0.1', prot: 3000 }] } } as never, 'staticServices.orders[0].prot', 'port'],
  ])('ServiceDiscoveryModule.forRoot with %s', async (_, options, key, suggestion) => {
    const error = await contextError(consumerAppModule(options));
    expect(isDiscoveryConfigurationError(error)).toBe(true);
    expect(error.message).toContain(`ServiceDiscoveryModule: unknown option "${key}". Did you mean "${suggestion}"?`);
    expect(error.message).toContain('Valid options: ');
  });

  it('forRootAsync options are checked too (no type check reaches them)', async () => {
    @Module({ imports: [ServiceDiscoveryModule.forRootAsync({ useFactory: () => JSON.parse('{"registry":"in-memory","healt":{"timeout":"1s"}}') })] })
    class AsyncModule {}
    const error = await contextError(AsyncModule);
    expect(isDiscoveryConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(/^ServiceDiscoveryModule: unknown option "healt"\. Did you mean "health"\? Valid options: registry, consul, staticServices, failFast, service, health, shutdown, watch\./);
  });

  it('a key far from every valid one lists the valid options', async () => {
    const error = await contextError(consumerAppModule({ ...inMemory, colour: 'blue' } as never));
    expect(error.message).toContain('ServiceDiscoveryModule: unknown option "colour". Remove it, or use one of the valid options: registry, consul,');
  });

  it.each<[string, Partial<DiscoverableOptions>, string, string]>([
    ['"chek"', { chek: { ttl: '5s' } } as never, 'chek', 'check'],
    ['"verison"', { verison: '1.0.0' } as never, 'verison', 'version'],
    ['"check.heartbeatIntervall"', { check: { ttl: '10s', heartbeatIntervall: '2s' } } as never, 'check.heartbeatIntervall', 'heartbeatInterval'],
    ['"check.intervall" of an HTTP check', { check: { type: 'http', intervall: '5s' } } as never, 'check.intervall', 'interval'],
  ])('@Discoverable() with %s fails the bootstrap', async (_, options, key, suggestion) => {
    const error = await bootError(discoverableAppModule({ name: 'orders', ...options } as DiscoverableOptions, inMemory));
    expect(isDiscoveryConfigurationError(error)).toBe(true);
    expect(error.message).toContain(`@Discoverable() on DiscoverableAppModule: unknown option "${key}". Did you mean "${suggestion}"?`);
  });

  it('a misspelt "enabled: false" does not register the app: it fails the bootstrap instead', async () => {
    const error = await bootError(discoverableAppModule({ name: 'orders', enabeld: false } as never, inMemory));
    expect(error.message).toContain('@Discoverable() on DiscoverableAppModule: unknown option "enabeld". Did you mean "enabled"?');
  });

  it('@Discoverable() on a provider is checked too', async () => {
    @Discoverable({ name: 'orders', tgas: ['http'] } as never)
    class OrdersMarker {}
    @Module({ imports: [ServiceDiscoveryModule.forRoot(inMemory)], providers: [OrdersMarker] })
    class ProviderModule {}
    const error = await bootError(ProviderModule);
    expect(error.message).toContain('@Discoverable() on OrdersMarker: unknown option "tgas". Did you mean "tags"?');
  });

  it('valid options boot', async () => {
    const app = await NestFactory.createApplicationContext(
      consumerAppModule({ ...inMemory, failFast: true, watch: { wait: '10s', linger: '1s' }, shutdown: { drainDelay: 0, timeout: '1s' }, health: { timeout: '1s' } }),
      { logger: false },
    );
    await app.close();
  });
});
