import type { ClientTCP } from '@nestjs/microservices';
import { lastValueUntilAborted } from '@nestmesh/common';
import { resilienceRejectionOf } from '@nestmesh/resilience';
import { toArray, timeout as rxTimeout, type Observable } from 'rxjs';
import { currentPropagatedContext } from '../context/request-context.js';
import { ANSWERED, runAttempts, type AttemptTransport, type AttemptVerdict } from '../request/attempt-loop.js';
import { ATTEMPT_TIMEOUT_CODE, failedBeforeSending } from '../request/attempt-outcome.js';
import { startDeadline, type CallDeadline } from '../request/call-deadline.js';
import type { ServiceRuntime } from '../request/service-runtime.js';

/**
 * A transport failure of the TCP client (a socket error with a code, or Nest's "Connection closed"), as opposed
 * to an error the remote handler returned (a plain `{ status, message }` object). Duck-typed: errors of Node's
 * own realm are not `instanceof` another realm's `Error`.
 */
const isTransportFailure = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown; stack?: unknown } | null;
  return typeof e === 'object' && e !== null && typeof e.stack === 'string' && (typeof e.code === 'string' || e.message === 'Connection closed');
};

/** The `retryAfter` (ms, 0 when it gave none) of a remote rejection that did not run the handler: an open circuit, a full bulkhead. */
const refusalOf = (error: unknown): number | undefined => {
  const rejection = resilienceRejectionOf(error);
  if (rejection?.code !== 'CIRCUIT_OPEN' && rejection?.code !== 'BULKHEAD_FULL') return undefined;
  return typeof rejection.retryAfter === 'number' ? rejection.retryAfter : 0;
};

/** @internal What one attempt does with the `ClientTCP` of the picked instance: `send()` a message or `emit()` an event. */
export type TcpDispatch<T> = (connection: ClientTCP) => Observable<T>;

/** @internal One TCP call's part in the attempt loop ({@link runAttempts}): `dispatch` on each picked instance. */
class TcpAttempts<T> implements AttemptTransport<ClientTCP, T[], T[]> {
  readonly key = undefined;

  constructor(
    private readonly dispatch: TcpDispatch<T>,
    private readonly deadline: CallDeadline,
    private readonly attemptTimeout: number | undefined,
  ) {}

  send(connection: ClientTCP): Promise<T[]> {
    let source = this.dispatch(connection);
    const ms = this.attemptTimeout;
    if (ms !== undefined) {
      source = source.pipe(rxTimeout({ first: ms, with: () => { throw Object.assign(new Error(`no answer within ${ms} ms`), { code: ATTEMPT_TIMEOUT_CODE }); } }));
    }
    return lastValueUntilAborted(source.pipe(toArray()), this.deadline.signal);
  }

  result(values: T[]): T[] {
    return values;
  }

  judge(): AttemptVerdict {
    return ANSWERED;
  }

  /** A transport failure or an instance's refusal (no new messages to it for its `retryAfter`); else the handler's own error. */
  judgeFailure(error: unknown): AttemptVerdict | undefined {
    const refusedFor = refusalOf(error);
    if (refusedFor !== undefined) return { failure: true, retry: true, notSent: true, refusal: true, wait: refusedFor };
    return isTransportFailure(error) ? { failure: true, retry: true, notSent: failedBeforeSending(error) } : undefined;
  }

  /** A message may not be idempotent: only one that never reached a handler goes out again. */
  resendable(notSent: boolean): boolean {
    return notSent;
  }
}

/**
 * @internal One message or event of the `ServiceClientProxy`: `dispatch` on the `ClientTCP` of an instance the
 * strategy picks, through the service's resilience, within the deadline ({@link runAttempts}). Only failures
 * before it was sent (connection refused, unreachable) and an instance's own refusal (its circuit open, its
 * bulkhead full: no new messages to it for its `retryAfter`) are retried, on another instance: a message may
 * not be idempotent.
 */
export function executeTcpCall<T>(runtime: ServiceRuntime<ClientTCP>, dispatch: TcpDispatch<T>, callerSignal: AbortSignal): Promise<T[]> {
  const deadline = startDeadline(runtime.options.deadline, currentPropagatedContext()?.deadlineAt, callerSignal);
  return runAttempts(runtime, new TcpAttempts(dispatch, deadline, runtime.options.attemptTimeout), deadline, callerSignal);
}
