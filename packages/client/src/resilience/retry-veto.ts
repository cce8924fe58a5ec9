import { AttemptFailure, UpstreamStatusError } from '../request/attempt-outcome.js';
import type { RetryBudget } from '../retry-budget/retry-budget.js';

/**
 * @internal The client's say on each retry the resilience policy wants: only failures the attempt marked
 * retryable (idempotent or unsent, another instance left, within the deadline), and only within the budget.
 */
export function retryVeto(budget: RetryBudget | undefined): (error: unknown, attempt: number) => boolean {
  return (error) => {
    if (!(error instanceof AttemptFailure || error instanceof UpstreamStatusError) || !error.retryable) return false;
    if (budget !== undefined && !budget.tryRetry()) {
      if (error instanceof AttemptFailure) error.budgetExhausted = true;
      return false;
    }
    // The answer is dropped for a retry: free its connection.
    if (error instanceof UpstreamStatusError) error.response.body.dump().catch(() => undefined);
    return true;
  };
}
