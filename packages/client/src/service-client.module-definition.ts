import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ServiceClientModuleOptions } from './interfaces/service-client-module-options.interface.js';

/** Extra `registerAsync()` options that shape the module itself. */
export interface ServiceClientModuleExtras {
  /**
   * With `registerAsync()`, the service names to provide `@InjectServiceClient(name)` tokens for (the options
   * are not known yet when the module is built). Names this app's providers and controllers use in
   * `@InjectServiceClient()` are provided anyway. Default `[]`.
   */
  serviceNames?: string[];
  /** Register the module globally. Default `false`. */
  isGlobal?: boolean;
}

/** @internal `register()` / `registerAsync()` and the options token, built by Nest's `ConfigurableModuleBuilder`. */
export const {
  ConfigurableModuleClass: ServiceClientConfigurableModule,
  MODULE_OPTIONS_TOKEN: SERVICE_CLIENT_MODULE_OPTIONS,
  OPTIONS_TYPE: SERVICE_CLIENT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SERVICE_CLIENT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ServiceClientModuleOptions>({
  moduleName: 'ServiceClient',
  optionsInjectionToken: 'NESTMESH:client:options',
})
  .setClassMethodName('register')
  .setExtras<ServiceClientModuleExtras>({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
