export { ServiceDiscoveryModule } from './service-discovery.module.js';
export { Discoverable } from './decorators/discoverable.decorator.js';
export { ServiceDiscovery, type InstanceQuery } from './discovery/service-discovery.service.js';
export { ServiceRegistryHealthIndicator } from './health/service-registry.health-indicator.js';
export { evaluateHealth, type HealthEvaluation } from './health/health-evaluation.js';
export { SERVICE_REGISTRY, type ServiceRegistry, type HeartbeatResult } from './registry/service-registry.interface.js';
export { ConsulServiceRegistry } from './registry/consul/consul.registry.js';
export { InMemoryServiceRegistry } from './registry/in-memory/in-memory.registry.js';
export { InMemoryRegistryStore, defaultInMemoryRegistryStore } from './registry/in-memory/in-memory-registry.store.js';
export { StaticServiceRegistry } from './registry/static/static.registry.js';
export { DiscoveryConfigurationError, isDiscoveryConfigurationError } from './errors/discovery-configuration.error.js';
export { RegistryUnreachableError, isRegistryUnreachableError } from './errors/registry-unreachable.error.js';
export { InstancesUnavailableError, isInstancesUnavailableError } from './errors/instances-unavailable.error.js';
export { DEFAULT_HEALTH_PATH, SERVICE_ADDRESS_ENV } from './service-discovery.constants.js';
export type { DiscoverableOptions, HttpCheckOptions, TtlCheckOptions } from './interfaces/discoverable-options.interface.js';
export type {
  ConsulRegistryOptions,
  HealthReportingOptions,
  ServiceDiscoveryModuleOptions,
  ShutdownOptions,
  StaticInstanceOptions,
  WatchOptions,
} from './interfaces/service-discovery-options.interface.js';
export type { HealthStatus, InstancesSnapshot, ServiceIdentity, ServiceInstance } from './interfaces/service-instance.interface.js';
export type { HttpCheckRegistration, ServiceRegistration, TtlCheckRegistration } from './interfaces/service-registration.interface.js';
export type { Duration } from './utils/duration.js';
export { isInstanceAddress } from './utils/validation.js';
