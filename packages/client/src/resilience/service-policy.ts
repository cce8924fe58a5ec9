import type { ResiliencePolicy, ResiliencePolicyFactory } from '@nestmesh/resilience';
import type { ResolvedServiceOptions } from '../options/resolve-service-options.js';
import { AttemptFailure, UpstreamStatusError } from '../request/attempt-outcome.js';
import type { RetryBudget } from '../retry-budget/retry-budget.js';
import { invalid } from '../options/option-checks.js';

/**
 * @internal The resilience of one service, built by `@nestmesh/resilience` (no breaker or retry of our own):
 * its retry, circuit breaker and bulkhead, or a named policy of the app's `ResilienceModule`, under the policy
 * target `client:<key>`. Per-attempt timeouts and the deadline are the client's own timers (`AttemptHandler`,
 * `CallDeadline`), so no `timeout` section is given.
 */
export function createServicePolicy(factory: ResiliencePolicyFactory, options: ResolvedServiceOptions, budget: RetryBudget | undefined): ResiliencePolicy {
  const { key, policy, retry, circuitBreaker, bulkhead } = options;
  const sections = policy ?? { retry: retry === false ? undefined : retry, circuitBreaker, bulkhead };
  // The client's say on each retry the policy wants: only failures the attempt marked retryable (idempotent or
  // unsent, another instance left, within the deadline), and only within the budget.
  const shouldRetry = (error: unknown): boolean => {
    if (!(error instanceof AttemptFailure || error instanceof UpstreamStatusError) || !error.retryable) return false;
    if (budget !== undefined && !budget.tryRetry()) {
      if (error instanceof AttemptFailure) error.budgetExhausted = true;
      return false;
    }
    // The answer is dropped for a retry: free its connection.
    if (error instanceof UpstreamStatusError) error.response.body.dump().catch(() => undefined);
    return true;
  };
  const created = factory.create(`client:${key}`, sections, { shouldRetry });
  // Each attempt is bounded by the client's own timers: a named policy's timeout would end calls as if their deadline passed.
  if (created.timeout !== undefined) {
    invalid(`ServiceClientModule (service "${key}")`, 'policy', policy, `Use a policy without a timeout section, and bound each attempt with the service's own timeout option (timeout: { ms: ${created.timeout} }).`);
  }
  return created;
}
