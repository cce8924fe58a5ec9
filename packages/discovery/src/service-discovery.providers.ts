import type { Provider } from '@nestjs/common';
import { createServiceRegistry, type RegistryChoice } from './registry/create-service-registry.js';
import { SERVICE_REGISTRY } from './registry/service-registry.interface.js';
import { MODULE_OPTIONS_TOKEN } from './service-discovery.module-definition.js';
import { resolveDiscoveryOptions } from './service-discovery.options.js';

/** @internal */
export const RESOLVED_DISCOVERY_OPTIONS = Symbol('ResolvedDiscoveryOptions');
/** @internal */
export const REGISTRY_CHOICE = Symbol('RegistryChoice');

/** The options with defaults, the chosen registry, and the registry under its public token. @internal */
export const serviceDiscoveryProviders: Provider[] = [
  {
    provide: RESOLVED_DISCOVERY_OPTIONS,
    useFactory: resolveDiscoveryOptions,
    inject: [MODULE_OPTIONS_TOKEN],
  },
  {
    provide: REGISTRY_CHOICE,
    useFactory: createServiceRegistry,
    inject: [MODULE_OPTIONS_TOKEN, RESOLVED_DISCOVERY_OPTIONS],
  },
  {
    provide: SERVICE_REGISTRY,
    useFactory: (choice: RegistryChoice) => choice.registry,
    inject: [REGISTRY_CHOICE],
  },
];
