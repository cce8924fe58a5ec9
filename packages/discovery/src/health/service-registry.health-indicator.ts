import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SERVICE_REGISTRY, type ServiceRegistry } from '../registry/service-registry.interface.js';
import { ServiceRegistrar } from '../registration/service-registrar.js';
import type { ResolvedDiscoveryOptions } from '../service-discovery.options.js';
import { RESOLVED_DISCOVERY_OPTIONS } from '../service-discovery.providers.js';

/**
 * A terminus health indicator for the registry connection: `up` when the registry answers (and this app, when it
 * registers, is registered), `down` with the reason and the registry's address otherwise, e.g. while a
 * `failFast: false` app is still retrying its registration.
 *
 * @example
 * ‌@Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.registry.isHealthy('consul')]); }
 */
@Injectable()
export class ServiceRegistryHealthIndicator {
  constructor(
    private readonly healthIndicatorService: HealthIndicatorService,
    @Inject(SERVICE_REGISTRY) private readonly registry: ServiceRegistry,
    @Inject(RESOLVED_DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
    private readonly registrar: ServiceRegistrar,
  ) {}

  async isHealthy<const Key extends string = 'service-registry'>(key: Key = 'service-registry' as Key) {
    const indicator = this.healthIndicatorService.check(key);
    await this.registrar.checking;
    const registry = this.registry.describe();
    const message = this.registrar.notRegistered();
    if (message !== undefined) return indicator.down({ registry, message });
    try {
      await this.registry.ping(AbortSignal.timeout(this.options.requestTimeout));
      return indicator.up({ registry });
    } catch (error) {
      return indicator.down({ registry, message: (error as Error).message });
    }
  }
}
