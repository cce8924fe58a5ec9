import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ServiceDiscovery } from './discovery/service-discovery.service.js';
import { ServiceRegistryHealthIndicator } from './health/service-registry.health-indicator.js';
import { SERVICE_REGISTRY } from './registry/service-registry.interface.js';
import { DiscoverableExplorer } from './registration/discoverable.explorer.js';
import { ServiceRegistrar } from './registration/service-registrar.js';
import { ConfigurableModuleClass } from './service-discovery.module-definition.js';
import { serviceDiscoveryProviders } from './service-discovery.providers.js';

/**
 * Registers the app (marked with `@Discoverable()`) in a service registry and discovers other services.
 * Global by default (`isGlobal: false` to scope it). `forRoot({})` picks Consul when `CONSUL_HTTP_ADDR` is set
 * and the in-memory registry otherwise.
 *
 * @example
 * ‌@Discoverable({ name: 'orders' })
 * ‌@Module({ imports: [ServiceDiscoveryModule.forRoot({ shutdown: { drainDelay: '5s' } })] })
 * export class AppModule {}
 *
 * // main.ts: drain and deregister on SIGTERM, exit 0
 * app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
 */
@Module({
  imports: [DiscoveryModule, TerminusModule],
  providers: [...serviceDiscoveryProviders, DiscoverableExplorer, ServiceRegistrar, ServiceDiscovery, ServiceRegistryHealthIndicator],
  exports: [ServiceDiscovery, SERVICE_REGISTRY, ServiceRegistryHealthIndicator],
})
export class ServiceDiscoveryModule extends ConfigurableModuleClass {}
