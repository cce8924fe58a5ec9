import type { ResiliencePolicy } from '@nestmesh/resilience';
import type { ServiceBalancer } from '../balancer/service-balancer.js';
import type { ResolvedServiceOptions } from '../options/resolve-service-options.js';
import type { RetryBudget } from '../retry-budget/retry-budget.js';
import type { DeadlineTimers } from './deadline-timers.js';

/** @internal Everything the calls of one service share, for one transport. */
export interface ServiceRuntime<C> {
  readonly options: ResolvedServiceOptions;
  readonly balancer: ServiceBalancer<C>;
  readonly budget: RetryBudget | undefined;
  /** The service's resilience policy (retry, breaker, bulkhead), from @nestmesh/resilience. */
  readonly policy: ResiliencePolicy;
  /** The one timer of the calls that last the service's `deadline` (none: a timer per call). */
  readonly deadlines?: DeadlineTimers;
}
