import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startConsulAgent, type ConsulAgent } from '@nestmesh/testing';
import { firstValueFrom } from 'rxjs';
import { DiscoveryConfigurationError, ServiceDiscovery } from '../../src/index.js';
import { consumerAppModule } from '../support/test-app.js';

describe('ServiceDiscovery after app.close()', () => {
  let consul: ConsulAgent;
  let app: INestApplicationContext;

  beforeAll(async () => {
    consul = await startConsulAgent();
    app = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: consul.httpAddr } }), { logger: false });
  });
  afterAll(async () => {
    await consul?.stop();
  });

  it('refuses getInstances() and watch() at once, saying the app was closed, and starts no new watch', async () => {
    const discovery = app.get(ServiceDiscovery);
    await discovery.getInstances('consul');
    await app.close();
    // A late timer or a request finishing during shutdown: no new connection or watch may hold the process.
    await expect(discovery.getInstances('consul')).rejects.toThrow(DiscoveryConfigurationError);
    await expect(discovery.getInstances('consul')).rejects.toThrow(/"consul".*after the app was closed/);
    await expect(firstValueFrom(discovery.watch('consul'))).rejects.toThrow(/"consul".*after the app was closed/);
    expect(discovery.watchedServices()).toEqual([]);
  });
});
