import { Controller, Get, Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { Discoverable, ServiceDiscoveryModule, type DiscoverableOptions, type ServiceDiscoveryModuleOptions } from '../../src/index.js';

/** A terminus indicator a test can switch between up, degraded and down. */
@Injectable()
export class SwitchableIndicator {
  status: 'up' | 'degraded' | 'down' = 'up';
  constructor(private readonly health: HealthIndicatorService) {}
  isHealthy() {
    const check = this.health.check('switch');
    return this.status === 'up' ? check.up() : this.status === 'degraded' ? check.degraded({ message: 'half' }) : check.down({ message: 'switched off' });
  }
}

@Module({ imports: [TerminusModule], providers: [SwitchableIndicator], exports: [SwitchableIndicator] })
export class SwitchModule {}

@Controller('work')
class WorkController {
  @Get()
  work() {
    return { done: true };
  }

  /** A request never answered (a stream or a long poll), until the connection closes. */
  @Get('forever')
  async forever() {
    await new Promise(() => undefined);
  }

  /** A request still in flight when shutdown starts. */
  @Get('slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 800));
    return { done: 'slowly' };
  }
}

/**
 * Builds a root module for a real Nest app with `@Discoverable(service)` and the discovery module wired to
 * a switchable terminus indicator; `controllers` are added beside the HTTP `WorkController`.
 */
export function discoverableAppModule(
  service: DiscoverableOptions,
  options: Omit<ServiceDiscoveryModuleOptions, 'health'> = {},
  controllers: Array<Type<unknown>> = [],
): Type<unknown> {
  const discovery: DynamicModule = ServiceDiscoveryModule.forRootAsync({
    imports: [SwitchModule],
    inject: [SwitchableIndicator],
    useFactory: (indicator: SwitchableIndicator) => ({ ...options, health: { indicators: [() => indicator.isHealthy()] } }),
  });
  @Discoverable(service)
  @Module({ imports: [SwitchModule, discovery], controllers: [WorkController, ...controllers] })
  class DiscoverableAppModule {}
  return DiscoverableAppModule;
}

/** A module that only discovers (no `@Discoverable`). */
export function consumerAppModule(options: ServiceDiscoveryModuleOptions): Type<unknown> {
  @Module({ imports: [ServiceDiscoveryModule.forRoot(options)] })
  class ConsumerAppModule {}
  return ConsumerAppModule;
}
