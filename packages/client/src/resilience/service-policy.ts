import type { ResiliencePolicy, ResiliencePolicyFactory, ResiliencePolicyOptions } from '@nestmesh/resilience';
import type { ResolvedServiceOptions } from '../options/resolve-service-options.js';
import type { RetryBudget } from '../retry-budget/retry-budget.js';
import { retryVeto } from './retry-veto.js';

/** @internal Name of a service's policy target (its breaker and bulkhead in the ResilienceRegistry). */
export const policyTarget = (key: string): string => `client:${key}`;

/**
 * @internal The resilience of one service, built by `@nestmesh/resilience` (no breaker or retry of our own):
 * its retry, circuit breaker and bulkhead, or a named policy of the app's `ResilienceModule`; every retry also
 * passes the client's veto (retryable outcome, another instance left, retry budget). Per-attempt timeouts and
 * the deadline are the client's own timers (`AttemptHandler`, `CallDeadline`), so no `timeout` section is given.
 */
export function createServicePolicy(factory: ResiliencePolicyFactory, options: ResolvedServiceOptions, budget: RetryBudget | undefined): ResiliencePolicy {
  const hooks = { shouldRetry: retryVeto(budget) };
  if (options.policy !== undefined) return factory.create(policyTarget(options.key), options.policy, hooks);
  const sections: ResiliencePolicyOptions = {};
  if (options.retry !== false) sections.retry = options.retry;
  if (options.circuitBreaker !== undefined) sections.circuitBreaker = options.circuitBreaker;
  if (options.bulkhead !== undefined) sections.bulkhead = options.bulkhead;
  return factory.create(policyTarget(options.key), sections, hooks);
}
