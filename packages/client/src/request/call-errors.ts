import { isBrokenCircuitError, isTaskCancelledError } from '@nestmesh/resilience';
import { messages } from '../errors/messages.constants.js';
import { RetryBudgetExhaustedError } from '../errors/retry-budget-exhausted.error.js';
import { ServiceCircuitOpenError } from '../errors/service-circuit-open.error.js';
import { ServiceClientError } from '../errors/service-client.error.js';
import { ServiceTimeoutError } from '../errors/service-timeout.error.js';
import { UpstreamUnreachableError } from '../errors/upstream-unreachable.error.js';
import { AttemptFailure, isAttemptTimeout } from './attempt-outcome.js';

/** @internal Where a call stood when it failed. */
export interface CallState {
  readonly serviceName: string;
  readonly attempts: number;
  readonly instanceId: string | undefined;
  readonly deadline: number;
  readonly attemptTimeout: number | undefined;
  /** The deadline's signal fired. */
  readonly deadlineExpired: boolean;
  /** The caller's own signal, if any. */
  readonly callerSignal: AbortSignal | undefined;
}

/**
 * @internal Turns what the attempts threw into the error the caller gets: a caller's abort stays the caller's,
 * everything else becomes one of the package's branded 503/504 errors naming the service, instance and attempts.
 */
export function toCallError(error: unknown, state: CallState): unknown {
  if (state.callerSignal?.aborted) return state.callerSignal.reason ?? error;
  if (error instanceof ServiceClientError) return error;
  const details = { serviceName: state.serviceName, instanceId: state.instanceId, attempts: state.attempts, cause: error };
  if (state.deadlineExpired) return new ServiceTimeoutError(messages.timeout(state.serviceName, state.deadline, state.instanceId, state.attempts), details);
  if (isBrokenCircuitError(error)) return new ServiceCircuitOpenError(messages.circuitOpen(state.serviceName, state.attempts), details);
  if (error instanceof AttemptFailure) {
    if (isAttemptTimeout(error.cause) && error.code !== 'UND_ERR_CONNECT_TIMEOUT') {
      return new ServiceTimeoutError(messages.attemptTimeout(state.serviceName, state.attemptTimeout ?? state.deadline, state.instanceId, state.attempts), details);
    }
    const detail = error.code ? `${error.code}: ${error.message}` : error.message;
    if (error.budgetExhausted) return new RetryBudgetExhaustedError(messages.budgetExhausted(state.serviceName, state.instanceId, state.attempts, detail), details);
    return new UpstreamUnreachableError(messages.unreachable(state.serviceName, state.instanceId, state.attempts, detail), details);
  }
  if (isTaskCancelledError(error)) return new ServiceTimeoutError(messages.timeout(state.serviceName, state.deadline, state.instanceId, state.attempts), details);
  return error;
}
