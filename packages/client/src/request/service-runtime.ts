import type { ServiceBalancer } from '../balancer/service-balancer.js';
import type { ResolvedServiceOptions } from '../options/resolve-service-options.js';
import type { AttemptRunner } from '../resilience/attempt-runner.interface.js';
import type { RetryBudget } from '../retry-budget/retry-budget.js';

/** @internal Everything the calls of one service share, for one transport. */
export interface ServiceRuntime<C> {
  readonly options: ResolvedServiceOptions;
  readonly balancer: ServiceBalancer<C>;
  readonly budget: RetryBudget | undefined;
  readonly runner: AttemptRunner;
}
