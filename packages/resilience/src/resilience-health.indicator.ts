import { Inject, Injectable } from '@nestjs/common';
import type { OpenBreakerHealthStatus, ResilienceModuleOptions } from './interfaces/resilience-module-options.interface.js';
import type { CircuitBreakerStateName } from './interfaces/resilience-policy-snapshot.interface.js';
import { RESILIENCE_MODULE_OPTIONS } from './resilience.module-definition.js';
import { ResilienceRegistry } from './resilience.registry.js';

/** The result of {@link ResilienceHealthIndicator.isHealthy}: a terminus `HealthIndicatorResult`. */
export type ResilienceHealthResult<Key extends string = string> = Record<
  Key,
  {
    status: 'up' | 'down' | 'degraded';
    /** Breakers that are open or isolated. */
    open: string[];
    /** Every breaker and its state. */
    breakers: Record<string, CircuitBreakerStateName>;
  }
>;

/**
 * A `@nestjs/terminus` health indicator over every circuit breaker: `up` while none is open, else the
 * configured `openBreakerStatus` (default `down`). It needs nothing from terminus at runtime: its result is
 * the `HealthIndicatorResult` shape `HealthCheckService` expects.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.resilience.isHealthy()]); }
 */
@Injectable()
export class ResilienceHealthIndicator {
  constructor(
    private readonly registry: ResilienceRegistry,
    @Inject(RESILIENCE_MODULE_OPTIONS) private readonly options: ResilienceModuleOptions,
  ) {}

  /**
   * Reports the breakers under `key` (default `circuit-breakers`). `openBreakerStatus` overrides the module's
   * option for this check.
   */
  isHealthy<const Key extends string = 'circuit-breakers'>(
    key: Key = 'circuit-breakers' as Key,
    openBreakerStatus: OpenBreakerHealthStatus = this.options.openBreakerStatus ?? 'down',
  ): ResilienceHealthResult<Key> {
    const breakers: Record<string, CircuitBreakerStateName> = {};
    const open: string[] = [];
    for (const policy of this.registry.list()) {
      if (policy.kind !== 'circuit-breaker' || policy.state === undefined) continue;
      breakers[policy.name] = policy.state;
      if (policy.state === 'open' || policy.state === 'isolated') open.push(policy.name);
    }
    const status = open.length === 0 ? 'up' : openBreakerStatus;
    return { [key]: { status, open, breakers } } as ResilienceHealthResult<Key>;
  }
}
