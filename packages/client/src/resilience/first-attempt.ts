import type { ResiliencePolicy, ResiliencePolicyContext } from '@nestmesh/resilience';
import type { CallDeadline } from '../request/call-deadline.js';

/**
 * @internal Runs a call through `policy`, its first attempt outside it: for a policy that is at most a retry
 * (`firstAttemptMayBypassPolicy`), whose layer adds nothing to an attempt that succeeds but a promise chain,
 * closures and abort listeners per call (measured as the largest part of the client's overhead over raw undici).
 * When that first attempt throws, the policy runs as usual and is given the same error as its attempt 1 (it never
 * calls `attempt` twice for number 1), so it decides on the retry, waits the backoff, asks the veto and emits its
 * events exactly as if it had run the attempt itself. A signal already aborted goes straight to the policy,
 * which refuses to start as before.
 */
export async function runFirstAttemptDirect<T>(
  policy: ResiliencePolicy,
  attempt: (context: ResiliencePolicyContext) => Promise<T>,
  deadline: CallDeadline,
): Promise<T> {
  // The policy's signal is a real AbortSignal, made only when the policy runs.
  if (deadline.aborted) return policy.execute(attempt, deadline.signal);
  let first: unknown;
  try {
    return await attempt({ signal: undefined, attempt: 1 });
  } catch (error) {
    first = error;
  }
  return policy.execute((context) => (context.attempt === 1 ? Promise.reject(first) : attempt(context)), deadline.signal);
}
