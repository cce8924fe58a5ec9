import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { GatewayModuleOptions } from './interfaces/gateway-module-options.interface.js';

/** @internal `forRoot()` / `forRootAsync()` and the options token, built by Nest's `ConfigurableModuleBuilder`. */
export const {
  ConfigurableModuleClass: GatewayConfigurableModule,
  MODULE_OPTIONS_TOKEN: GATEWAY_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<GatewayModuleOptions>({ moduleName: 'Gateway', optionsInjectionToken: 'NESTMESH:gateway:options' })
  .setClassMethodName('forRoot')
  .build();
