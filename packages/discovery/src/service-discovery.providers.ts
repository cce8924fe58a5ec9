import type { Provider } from '@nestjs/common';
import type { ServiceDiscoveryModuleOptions } from './interfaces/service-discovery-options.interface.js';
import { createServiceRegistry, type RegistryChoice } from './registry/create-service-registry.js';
import { SERVICE_REGISTRY } from './registry/service-registry.interface.js';
import { MODULE_OPTIONS_TOKEN } from './service-discovery.module-definition.js';
import { resolveDiscoveryOptions, type ResolvedDiscoveryOptions } from './service-discovery.options.js';

/** @internal */
export const RESOLVED_DISCOVERY_OPTIONS = Symbol('ResolvedDiscoveryOptions');
/** @internal */
export const REGISTRY_CHOICE = Symbol('RegistryChoice');

/** The options with defaults, the chosen registry, and the registry under its public token. @internal */
export const serviceDiscoveryProviders: Provider[] = [
  {
    provide: RESOLVED_DISCOVERY_OPTIONS,
    useFactory: (options: ServiceDiscoveryModuleOptions) => resolveDiscoveryOptions(options),
    inject: [MODULE_OPTIONS_TOKEN],
  },
  {
    provide: REGISTRY_CHOICE,
    useFactory: (options: ServiceDiscoveryModuleOptions, resolved: ResolvedDiscoveryOptions) => createServiceRegistry(options, resolved),
    inject: [MODULE_OPTIONS_TOKEN, RESOLVED_DISCOVERY_OPTIONS],
  },
  {
    provide: SERVICE_REGISTRY,
    useFactory: (choice: RegistryChoice) => choice.registry,
    inject: [REGISTRY_CHOICE],
  },
];
