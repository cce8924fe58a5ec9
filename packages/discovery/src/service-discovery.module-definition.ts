import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ServiceDiscoveryModuleOptions } from './interfaces/service-discovery-options.interface.js';

/** @internal */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<ServiceDiscoveryModuleOptions>({
    moduleName: 'ServiceDiscovery',
    optionsInjectionToken: 'NESTMESH:DISCOVERY_OPTIONS',
  })
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
