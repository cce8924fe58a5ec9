import { Inject, Injectable } from '@nestjs/common';
import type { OpenBreakerHealthStatus, ResilienceModuleOptions } from './interfaces/resilience-module-options.interface.js';
import type { CircuitBreakerStateName } from './interfaces/resilience-policy-snapshot.interface.js';
import { RESILIENCE_MODULE_OPTIONS } from './resilience.module-definition.js';
import { ResilienceRegistry } from './resilience.registry.js';

/**
 * The result of {@link ResilienceHealthIndicator.isHealthy}: a terminus `HealthIndicatorResult`. `Status` is
 * `'up' | 'down'` by default, the statuses terminus 11 and 12 both accept; `'degraded'` exists only in terminus 12.
 */
export type ResilienceHealthResult<Key extends string = string, Status extends 'up' | OpenBreakerHealthStatus = 'up' | 'down'> = Record<
  Key,
  {
    status: Status;
    /** Breakers that are open or isolated. */
    open: string[];
    /** Every breaker and its state. */
    breakers: Record<string, CircuitBreakerStateName>;
  }
>;

/**
 * A `@nestjs/terminus` health indicator over every circuit breaker: `up` while none is open, else the
 * configured `openBreakerStatus` (default `down`). It needs nothing from terminus at runtime: its result is
 * the `HealthIndicatorResult` shape `HealthCheckService` expects (terminus 11 and 12).
 *
 * `OpenStatus` is the module's `openBreakerStatus` as TypeScript sees it (default `'down'`, like the option):
 * with `openBreakerStatus: 'degraded'` (terminus 12 only) inject `ResilienceHealthIndicator<'degraded'>`, as with
 * `ConfigService<Env>`, so the result type says `'degraded'`.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.resilience.isHealthy()]); }
 */
@Injectable()
export class ResilienceHealthIndicator<OpenStatus extends OpenBreakerHealthStatus = 'down'> {
  constructor(
    private readonly registry: ResilienceRegistry,
    @Inject(RESILIENCE_MODULE_OPTIONS) private readonly options: ResilienceModuleOptions,
  ) {}

  /**
   * Reports the breakers under `key` (default `circuit-breakers`). `openBreakerStatus` overrides the module's
   * option for this check. `NoInfer`: the status type comes from `openBreakerStatus` or the class's `OpenStatus`,
   * never from what the caller's context expects (terminus 11's `'up' | 'down'` would otherwise hide `'degraded'`).
   */
  isHealthy<const Key extends string = 'circuit-breakers', const Status extends OpenBreakerHealthStatus = OpenStatus>(
    key: Key = 'circuit-breakers' as Key,
    openBreakerStatus: Status = (this.options.openBreakerStatus ?? 'down') as Status,
  ): ResilienceHealthResult<Key, 'up' | NoInfer<Status>> {
    const breakers: Record<string, CircuitBreakerStateName> = {};
    const open: string[] = [];
    for (const policy of this.registry.list()) {
      if (policy.kind !== 'circuit-breaker' || policy.state === undefined) continue;
      breakers[policy.name] = policy.state;
      if (policy.state === 'open' || policy.state === 'isolated') open.push(policy.name);
    }
    const status = open.length === 0 ? 'up' : openBreakerStatus;
    return { [key]: { status, open, breakers } } as ResilienceHealthResult<Key, 'up' | Status>;
  }
}
