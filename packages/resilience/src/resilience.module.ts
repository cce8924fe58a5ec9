import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { ResilienceExceptionFilter } from './resilience-exception.filter.js';
import { ResilienceHealthIndicator } from './resilience-health.indicator.js';
import { RESILIENCE_BOOTSTRAP } from './resilience.constants.js';
import { ResilienceExplorer } from './resilience.explorer.js';
import { ResilienceConfigurableModule, RESILIENCE_OPTIONS_TYPE } from './resilience.module-definition.js';
import { ResilienceRegistry } from './resilience.registry.js';
import { ResilienceScope } from './resilience.scope.js';
import { ResiliencePolicyFactory } from './policies/resilience-policy.factory.js';

/**
 * Gives the app its own resilience state: the options (defaults, named policies) and the breakers and
 * bulkheads `@CircuitBreaker`, `@Retry`, `@Timeout`, `@Bulkhead` and `@Fallback` use in its providers and
 * controllers (validated at bootstrap). Provides `ResilienceRegistry`, `ResilienceHealthIndicator` and
 * `ResiliencePolicyFactory` (global by default), and registers `ResilienceExceptionFilter` (`APP_FILTER`).
 *
 * On one method the policies always compose in this order, whatever order the decorators are written in:
 * `Fallback( Retry( CircuitBreaker( Timeout( Bulkhead( method )))))`: each retry attempt passes the breaker
 * and gets its own deadline, and a timed-out call frees its bulkhead slot.
 *
 * @example
 * @Module({ imports: [ResilienceModule.forRoot({ policies: { orders: { circuitBreaker: { consecutiveFailures: 3 } } } })] })
 * export class AppModule {}
 *
 * ResilienceModule.forRootAsync({ inject: [ConfigService], useFactory: (config: ConfigService) => config.get('resilience') })
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    ResilienceRegistry,
    ResilienceScope,
    ResilienceExplorer,
    ResilienceHealthIndicator,
    ResiliencePolicyFactory,
    { provide: APP_FILTER, useClass: ResilienceExceptionFilter },
    {
      // Builds (and validates) the policies while Nest instantiates the graph, so bad options fail the bootstrap.
      provide: RESILIENCE_BOOTSTRAP,
      useFactory: (explorer: ResilienceExplorer) => explorer.explore(),
      inject: [ResilienceExplorer],
    },
  ],
  exports: [ResilienceRegistry, ResilienceHealthIndicator, ResiliencePolicyFactory],
})
export class ResilienceModule extends ResilienceConfigurableModule {
  /** Registers the module with options (all optional: `forRoot()` and `forRoot({})` work). */
  static override forRoot(options: typeof RESILIENCE_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }
}
