import type { ResiliencePolicy, ResiliencePolicyContext } from '@nestmesh/resilience';
import type { CallDeadline } from '../request/call-deadline.js';

/**
 * @internal Runs a call through `policy` with its first attempt outside the retry layer, when the policy offers
 * it (`executeFirstAttemptDirect`: no timeout section): a healthy call then costs no retry layer and no
 * `AbortSignal` (the call's deadline bounds each undici request itself), while a breaker or bulkhead still sees
 * the attempt. A failed first attempt is handed to the retry as its attempt 1, so retries, backoff, the veto and
 * the events are exactly the policy's. A signal already aborted goes straight to `execute()`, which refuses to start.
 */
export function runFirstAttemptDirect<T>(
  policy: ResiliencePolicy,
  attempt: (context: ResiliencePolicyContext) => Promise<T>,
  deadline: CallDeadline,
): Promise<T> {
  if (deadline.aborted || policy.executeFirstAttemptDirect === undefined) return policy.execute(attempt, deadline.signal);
  return policy.executeFirstAttemptDirect(attempt, () => deadline.signal);
}
