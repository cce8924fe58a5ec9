import { Injectable, Module } from '@nestjs/common';
import { bootNestApp, CapturingLogger, sleep, startConsulAgent, waitFor, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import { Discoverable, ServiceDiscovery, ServiceDiscoveryModule, ServiceRegistryHealthIndicator } from '../../src/index.js';
import { healthOf } from '../support/consul-health.js';
import { SwitchableIndicator, discoverableAppModule } from '../support/test-app.js';

/** Runs `work` with no SIGTERM listener in this process, as in an app that never called enableShutdownHooks(). */
async function withoutSigtermListeners<T>(work: () => Promise<T>): Promise<T> {
  const saved = process.listeners('SIGTERM');
  process.removeAllListeners('SIGTERM');
  try {
    return await work();
  } finally {
    saved.forEach((listener) => process.on('SIGTERM', listener));
  }
}

describe('what the module logs, and its registry health indicator', () => {
  let consul: ConsulAgent;
  let booted: BootedNestApp | undefined;

  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterEach(async () => {
    await booted?.close();
    booted = undefined;
  });
  afterAll(async () => {
    await consul?.stop();
  });

  it('logs one line per registration, health change and deregistration, none per heartbeat, and warns when shutdown hooks are off', async () => {
    const logger = new CapturingLogger();
    booted = await withoutSigtermListeners(() =>
      bootNestApp(
        discoverableAppModule({ name: 'chatty', address: '127.0.0.1', check: { ttl: '2s', heartbeatInterval: '100ms' } }, { registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 0 } }),
        { logger },
      ),
    );
    await waitFor(() => logger.matching(/^Registered chatty-/).length === 1, { description: 'registration line' });
    const linesAfterRegistration = logger.lines.length;
    await sleep(1_000); // about ten heartbeats
    expect(logger.lines.slice(linesAfterRegistration)).toEqual([]);

    booted.app.get(SwitchableIndicator).status = 'down';
    await waitFor(() => logger.matching(/passing -> critical/).length === 1, { description: 'health change line' });
    await sleep(500);
    booted.app.get(SwitchableIndicator).status = 'up';
    await waitFor(() => logger.matching(/critical -> passing/).length === 1, { description: 'recovery line' });
    await sleep(500);
    await booted.close();
    booted = undefined;

    const discoveryLines = logger.lines.filter((line) => line.context === 'ServiceDiscovery').map((line) => `${line.level}: ${line.message.replace(/chatty-127\.0\.0\.1-\d+/, 'ID')}`);
    expect(discoveryLines).toEqual([
      `log: Using Consul at http://${consul.httpAddr} (registry: 'consul')`,
      expect.stringMatching(/^log: Registered ID \(chatty at 127\.0\.0\.1:\d+, passing, TTL check 2000 ms, heartbeat every 100 ms\) in Consul at/),
      expect.stringMatching(/^warn: Shutdown hooks are off, so on SIGTERM this instance will neither drain nor deregister.*enableShutdownHooks/),
      'warn: Health of ID: passing -> critical (down: switch (switched off))',
      'log: Health of ID: critical -> passing (up: switch)',
      'log: Marked ID critical (shutting down); draining for 0 ms',
      expect.stringMatching(/^log: Deregistered ID from Consul at/),
    ]);
  });

  it('registers from @Discoverable() on a provider too', async () => {
    @Discoverable({ name: 'from-provider', address: '127.0.0.1' })
    @Injectable()
    class MarkedProvider {}
    @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 0 } })], providers: [MarkedProvider] })
    class ProviderModule {}
    booted = await bootNestApp(ProviderModule);
    await waitFor(async () => (await healthOf(consul, 'from-provider', true)).some((e) => e.Service.Port === booted!.port), { description: 'from-provider registered' });
  });

  it('ServiceRegistryHealthIndicator is up while Consul answers and down, naming it, when it does not', async () => {
    booted = await bootNestApp(discoverableAppModule({ name: 'indicator', address: '127.0.0.1' }, { registry: 'consul', consul: { address: consul.httpAddr, requestTimeout: '1s' }, shutdown: { drainDelay: 0, timeout: '2s' } }));
    const indicator = booted.app.get(ServiceRegistryHealthIndicator);
    expect(await indicator.isHealthy('consul')).toEqual({ consul: { status: 'up', registry: `Consul at http://${consul.httpAddr}` } });
    await consul.stop();
    try {
      const down = await indicator.isHealthy('consul');
      expect(down.consul.status).toBe('down');
      expect(down.consul).toMatchObject({ message: expect.stringContaining(`Consul is unreachable at http://${consul.httpAddr}`) });
    } finally {
      await consul.start();
    }
  });

  it('warnings after startup do not suggest failFast: false (it only matters at bootstrap)', async () => {
    const logger = new CapturingLogger();
    booted = await bootNestApp(
      discoverableAppModule({ name: 'later', address: '127.0.0.1', check: { ttl: '2s', heartbeatInterval: '100ms' } }, { registry: 'consul', consul: { address: consul.httpAddr, requestTimeout: '500ms' }, watch: { wait: '1s' }, shutdown: { drainDelay: 0, timeout: '1s' } }),
      { logger },
    );
    await waitFor(() => logger.matching(/^Registered later-/).length === 1, { description: 'registered' });
    await booted.app.get(ServiceDiscovery).getInstances('later', { passingOnly: false });
    const startupLines = logger.lines.length;
    await consul.stop();
    try {
      await waitFor(() => logger.matching(/^Heartbeat of later-.* failed/).length === 1 && logger.matching(/^Watch of "later"/).length === 1, { timeout: 5_000, description: 'heartbeat and watch warnings' });
      const later = logger.lines.slice(startupLines).filter((line) => line.level === 'warn');
      expect(later.length).toBeGreaterThanOrEqual(2);
      expect(later.filter((line) => line.message.includes('failFast'))).toEqual([]);
    } finally {
      await consul.start();
    }
  });

  it('with failFast: false, starts while Consul is down and registers once it is back', async () => {
    await consul.stop();
    let started = false;
    try {
      booted = await bootNestApp(
        discoverableAppModule({ name: 'patient', address: '127.0.0.1' }, { registry: 'consul', failFast: false, consul: { address: consul.httpAddr }, watch: { retryDelay: '100ms', maxRetryDelay: '300ms' }, shutdown: { drainDelay: 0 } }),
      );
      await consul.start();
      started = true;
      await waitFor(async () => (await healthOf(consul, 'patient', true)).some((e) => e.Service.Port === booted!.port), { timeout: 5_000, description: 'patient registered in the background' });
    } finally {
      if (!started) await consul.start();
    }
  });
});
