import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { bootNestApp, CapturingLogger, startConsulAgent, type BootedNestApp } from '@nestmesh/testing';
import { Discoverable, ServiceDiscovery, ServiceDiscoveryModule, isInstancesUnavailableError, type ServiceDiscoveryModuleOptions } from '../../src/index.js';

/** Runs `work` with CONSUL_HTTP_ADDR unset (or set to `value`), restoring it after. */
async function withConsulAddr<T>(value: string | undefined, work: () => Promise<T>): Promise<T> {
  const saved = process.env.CONSUL_HTTP_ADDR;
  if (value === undefined) delete process.env.CONSUL_HTTP_ADDR;
  else process.env.CONSUL_HTTP_ADDR = value;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.CONSUL_HTTP_ADDR;
    else process.env.CONSUL_HTTP_ADDR = saved;
  }
}

const consumer = (options: ServiceDiscoveryModuleOptions) => {
  @Module({ imports: [ServiceDiscoveryModule.forRoot(options)] })
  class ConsumerModule {}
  return ConsumerModule;
};

const inMemoryWarnings = (logger: CapturingLogger) => logger.lines.filter((line) => line.level === 'warn' && /in-memory registry/.test(line.message));
const discoverableWarnings = (logger: CapturingLogger) => logger.lines.filter((line) => line.level === 'warn' && /@Discoverable\(\)/.test(line.message));

describe('setup mistakes are logged at bootstrap, naming the fix', () => {
  const apps: BootedNestApp[] = [];
  const boot = async (module: Parameters<typeof bootNestApp>[0], logger: CapturingLogger) => {
    const booted = await bootNestApp(module, { logger });
    apps.push(booted);
    return booted;
  };
  afterEach(async () => {
    for (const booted of apps.splice(0)) await booted.close();
  });

  describe('the in-memory fallback', () => {
    it('warns once per app when neither CONSUL_HTTP_ADDR nor a registry option chose a registry, and names it in "no instance" answers', async () => {
      const logger = new CapturingLogger();
      const booted = await withConsulAddr(undefined, () => boot(consumer({}), logger));
      const warnings = inMemoryWarnings(logger);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ context: 'ServiceDiscovery' });
      expect(warnings[0].message).toContain('Using the in-memory registry of this process');
      expect(warnings[0].message).toContain('set CONSUL_HTTP_ADDR');
      const discovery = booted.app.get(ServiceDiscovery);
      expect(discovery.describeRegistry()).toBe('the in-memory registry of this process; set CONSUL_HTTP_ADDR to use Consul');
      await expect(discovery.getInstances('nobody-here')).resolves.toEqual([]);
      // A second app of the process warns for itself, once.
      await withConsulAddr(undefined, () => boot(consumer({}), logger));
      expect(inMemoryWarnings(logger)).toHaveLength(2);
    });

    it("does not warn when the in-memory registry was chosen (registry: 'in-memory') or a registry option was given", async () => {
      const logger = new CapturingLogger();
      const booted = await withConsulAddr(undefined, () => boot(consumer({ registry: 'in-memory' }), logger));
      await withConsulAddr(undefined, () => boot(consumer({ registry: 'static', staticServices: { orders: ['127.0.0.1:4000'] } }), logger));
      expect(inMemoryWarnings(logger)).toEqual([]);
      expect(booted.app.get(ServiceDiscovery).describeRegistry()).toBe('the in-memory registry of this process');
    });

    it('does not warn with Consul, and names Consul with its address when it never answers', async () => {
      const consul = await startConsulAgent();
      try {
        const logger = new CapturingLogger();
        const booted = await withConsulAddr(consul.httpAddr, () => boot(consumer({}), logger));
        expect(inMemoryWarnings(logger)).toEqual([]);
        const discovery = booted.app.get(ServiceDiscovery);
        expect(discovery.describeRegistry()).toBe(`Consul at http://${consul.httpAddr}`);
        await consul.stop();
        const error = await discovery.getInstances('orders').then(() => undefined, (caught: unknown) => caught);
        expect(isInstancesUnavailableError(error)).toBe(true);
        expect((error as Error).message).toContain(`Consul at http://${consul.httpAddr} did not answer`);
      } finally {
        await consul.stop();
      }
    });
  });

  describe('@Discoverable() that nothing registers', () => {
    it('warns, naming the class and the fix, when the app does not import ServiceDiscoveryModule (on the root module)', async () => {
      @Discoverable({ name: 'lonely', address: '127.0.0.1' })
      @Module({})
      class LonelyModule {}
      const logger = new CapturingLogger();
      await boot(LonelyModule, logger);
      const warnings = discoverableWarnings(logger);
      expect(warnings).toHaveLength(1);
      expect(warnings[0].context).toBe('ServiceDiscovery');
      expect(warnings[0].message).toBe(
        '@Discoverable() is on LonelyModule, but this app does not import ServiceDiscoveryModule, so nothing registers it. ' +
          'Fix: add ServiceDiscoveryModule.forRoot({}) to the imports of the root module (or remove @Discoverable()).',
      );
    });

    it('warns per app: the same decorated provider warns in the app without the module only, and the class keeps its own hook', async () => {
      @Discoverable({ name: 'shared-provider', address: '127.0.0.1' })
      @Injectable()
      class MarkedProvider {
        bootstrapped = 0;
        onApplicationBootstrap() {
          this.bootstrapped++;
        }
      }
      @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'in-memory', shutdown: { drainDelay: 0 } })], providers: [MarkedProvider] })
      class WithDiscoveryModule {}
      @Module({ providers: [MarkedProvider] })
      class WithoutDiscoveryModule {}
      const logger = new CapturingLogger();
      const withModule = await boot(WithDiscoveryModule, logger);
      expect(discoverableWarnings(logger)).toEqual([]);
      const withoutModule = await boot(WithoutDiscoveryModule, logger);
      expect(discoverableWarnings(logger).map((line) => line.message)).toEqual([expect.stringMatching(/^@Discoverable\(\) is on MarkedProvider, but this app does not import ServiceDiscoveryModule/)]);
      expect(withModule.app.get(MarkedProvider).bootstrapped).toBe(1);
      expect(withoutModule.app.get(MarkedProvider).bootstrapped).toBe(1);
      await expect(withModule.app.get(ServiceDiscovery).getInstances('shared-provider')).resolves.toHaveLength(1);
    });

    it('warns when it is on a controller, where the module does not look, and registers nothing', async () => {
      @Discoverable({ name: 'on-controller', address: '127.0.0.1' })
      @Controller('x')
      class MarkedController {
        @Get()
        get() {
          return 'x';
        }
      }
      @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'in-memory', shutdown: { drainDelay: 0 } })], controllers: [MarkedController] })
      class ControllerModule {}
      const logger = new CapturingLogger();
      const booted = await boot(ControllerModule, logger);
      expect(discoverableWarnings(logger).map((line) => line.message)).toEqual([
        '@Discoverable() is on the controller MarkedController, where ServiceDiscoveryModule does not look: this app is not registered. ' +
          'Fix: put @Discoverable() on the root module (or on one provider) instead.',
      ]);
      await expect(booted.app.get(ServiceDiscovery).getInstances('on-controller')).resolves.toEqual([]);
    });

    it('says nothing false for a subclass of a decorated provider (it inherits the check, not the decoration)', async () => {
      @Discoverable({ name: 'base-provider', address: '127.0.0.1', enabled: false })
      @Injectable()
      class BaseProvider {}
      @Injectable()
      class DerivedProvider extends BaseProvider {}
      @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'in-memory', shutdown: { drainDelay: 0 } })], providers: [DerivedProvider] })
      class DerivedModule {}
      const logger = new CapturingLogger();
      await boot(DerivedModule, logger);
      expect(discoverableWarnings(logger)).toEqual([]);
    });

    it('stays quiet when the module registers it', async () => {
      @Discoverable({ name: 'registered-root', address: '127.0.0.1' })
      @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'in-memory', shutdown: { drainDelay: 0 } })] })
      class RegisteredModule {}
      const logger = new CapturingLogger();
      const booted = await boot(RegisteredModule, logger);
      expect(discoverableWarnings(logger)).toEqual([]);
      await expect(booted.app.get(ServiceDiscovery).getInstances('registered-root')).resolves.toHaveLength(1);
    });
  });
});
