import { DiscoveryConfigurationError } from '../errors/discovery-configuration.error.js';
import type { DiscoverableOptions, HttpCheckOptions, TtlCheckOptions } from '../interfaces/discoverable-options.interface.js';
import type {
  ConsulRegistryOptions,
  HealthReportingOptions,
  ServiceDiscoveryModuleOptions,
  ShutdownOptions,
  StaticInstanceOptions,
  WatchOptions,
} from '../interfaces/service-discovery-options.interface.js';
import { findUnknownKey, isObject, optionKeys, unknownOptionMessage } from '@nestmesh/common';

const MODULE_KEYS = optionKeys<ServiceDiscoveryModuleOptions>()({
  registry: true,
  consul: true,
  staticServices: true,
  failFast: true,
  service: true,
  health: true,
  shutdown: true,
  watch: true,
});
const CONSUL_KEYS = optionKeys<ConsulRegistryOptions>()({ address: true, token: true, secure: true, datacenter: true, caFile: true, verifyTls: true, requestTimeout: true });
const HEALTH_KEYS = optionKeys<HealthReportingOptions>()({ indicators: true, timeout: true });
const SHUTDOWN_KEYS = optionKeys<ShutdownOptions>()({ drainDelay: true, timeout: true });
const WATCH_KEYS = optionKeys<WatchOptions>()({ wait: true, minInterval: true, retryDelay: true, maxRetryDelay: true, initialTimeout: true, linger: true });
const STATIC_INSTANCE_KEYS = optionKeys<StaticInstanceOptions>()({ address: true, port: true, tags: true, meta: true, id: true, weight: true, ports: true });
const DISCOVERABLE_KEYS = optionKeys<DiscoverableOptions>()({
  name: true,
  tags: true,
  meta: true,
  version: true,
  address: true,
  port: true,
  weight: true,
  ports: true,
  instanceId: true,
  check: true,
  enabled: true,
});
const TTL_CHECK_KEYS = optionKeys<TtlCheckOptions>()({ type: true, ttl: true, heartbeatInterval: true, interval: true, deregisterCriticalServiceAfter: true });
const HTTP_CHECK_KEYS = optionKeys<HttpCheckOptions>()({
  type: true,
  path: true,
  interval: true,
  timeout: true,
  deregisterCriticalServiceAfter: true,
  scheme: true,
  presenceInterval: true,
});

/** Throws naming the first key of `options` (at `path`) not in `known`; non-objects are left to the value checks. */
function assertKnownKeys(options: unknown, known: readonly string[], where: string, path = ''): void {
  const unknown = findUnknownKey(options, known, path);
  if (unknown) throw new DiscoveryConfigurationError(unknownOptionMessage(where, unknown));
}

/** Checks the keys of `ServiceDiscoveryModule` options and of every section, static instances included. @internal */
export function assertModuleOptionKeys(options: ServiceDiscoveryModuleOptions): void {
  const where = 'ServiceDiscoveryModule';
  assertKnownKeys(options, MODULE_KEYS, where);
  assertKnownKeys(options.consul, CONSUL_KEYS, where, 'consul.');
  assertKnownKeys(options.health, HEALTH_KEYS, where, 'health.');
  assertKnownKeys(options.shutdown, SHUTDOWN_KEYS, where, 'shutdown.');
  assertKnownKeys(options.watch, WATCH_KEYS, where, 'watch.');
  if (options.service !== undefined) assertDiscoverableKeys(options.service, where, 'service.');
  for (const [service, instances] of Object.entries(options.staticServices ?? {})) {
    if (!Array.isArray(instances)) continue;
    instances.forEach((instance, index) => assertKnownKeys(instance, STATIC_INSTANCE_KEYS, where, `staticServices.${service}[${index}].`));
  }
}

/** Checks the keys of `@Discoverable()` options (or the module's `service` overrides) and of their `check`. @internal */
export function assertDiscoverableKeys(options: Partial<DiscoverableOptions>, where: string, path = ''): void {
  assertKnownKeys(options, DISCOVERABLE_KEYS, where, path);
  const check = options.check;
  if (isObject(check)) assertKnownKeys(check, check.type === 'http' ? HTTP_CHECK_KEYS : TTL_CHECK_KEYS, where, `${path}check.`);
}
