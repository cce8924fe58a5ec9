import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ResilienceModuleOptions } from './interfaces/resilience-module-options.interface.js';

/** Extra `forRoot()` options that shape the module itself rather than the policies. */
export interface ResilienceModuleExtras {
  /** Register the module globally so `ResilienceRegistry` and the health indicator inject anywhere. Default `true`. */
  isGlobal?: boolean;
}

/** @internal `forRoot()` / `forRootAsync()` and the options token, built by Nest's `ConfigurableModuleBuilder`. */
export const {
  ConfigurableModuleClass: ResilienceConfigurableModule,
  MODULE_OPTIONS_TOKEN: RESILIENCE_MODULE_OPTIONS,
  OPTIONS_TYPE: RESILIENCE_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ResilienceModuleOptions>({
  moduleName: 'Resilience',
  optionsInjectionToken: 'NESTMESH:resilience:options',
})
  .setClassMethodName('forRoot')
  .setExtras<ResilienceModuleExtras>({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
