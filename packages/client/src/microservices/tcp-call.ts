import type { ClientTCP } from '@nestjs/microservices';
import { lastValueUntilAborted } from '@nestmesh/common';
import { resilienceRejectionOf } from '@nestmesh/resilience';
import { toArray, timeout as rxTimeout, type Observable } from 'rxjs';
import { currentPropagatedContext } from '../context/request-context.js';
import { AttemptLoop } from '../request/attempt-loop.js';
import { ATTEMPT_TIMEOUT_CODE } from '../request/attempt-outcome.js';
import type { ServiceRuntime } from '../request/service-runtime.js';

/** @internal What one attempt does with the `ClientTCP` of the picked instance: `send()` a message or `emit()` an event. */
export type TcpDispatch<T> = (connection: ClientTCP) => Observable<T>;

/**
 * One message or event of the `ServiceClientProxy`: `dispatch` on the `ClientTCP` of each picked instance. Only
 * failures before it was sent (connection refused, unreachable) and an instance's own refusal (its circuit open,
 * its bulkhead full: no new messages to it for its `retryAfter`) are retried: a message may not be idempotent.
 */
class TcpCall<T> extends AttemptLoop<ClientTCP, T[], T[]> {
  constructor(
    runtime: ServiceRuntime<ClientTCP>,
    private readonly dispatch: TcpDispatch<T>,
    callerSignal: AbortSignal,
  ) {
    super(runtime, undefined, runtime.options.deadline, currentPropagatedContext()?.deadlineAt, callerSignal);
  }

  protected send(connection: ClientTCP): Promise<T[]> {
    let source = this.dispatch(connection);
    const ms = this.runtime.options.attemptTimeout;
    if (ms !== undefined) {
      source = source.pipe(rxTimeout({ first: ms, with: () => { throw Object.assign(new Error(`no answer within ${ms} ms`), { code: ATTEMPT_TIMEOUT_CODE }); } }));
    }
    return lastValueUntilAborted(source.pipe(toArray()), this.deadline.signal);
  }

  protected result(values: T[]): T[] {
    return values;
  }

  /**
   * A transport failure of the TCP client (a socket error with a code, or Nest's "Connection closed"), as opposed
   * to an error the remote handler returned (a plain `{ status, message }` object). Duck-typed: errors of Node's
   * own realm are not `instanceof` another realm's `Error`.
   */
  protected override isFailure(error: unknown): boolean {
    const e = error as { code?: unknown; message?: unknown; stack?: unknown } | null;
    if (typeof e !== 'object' || e === null || typeof e.stack !== 'string') return false;
    return typeof e.code === 'string' || e.message === 'Connection closed';
  }

  /** The `retryAfter` (ms, 0 when it gave none) of a remote rejection that did not run the handler. */
  protected override refusal(error: unknown): number | undefined {
    const rejection = resilienceRejectionOf(error);
    if (rejection?.code !== 'CIRCUIT_OPEN' && rejection?.code !== 'BULKHEAD_FULL') return undefined;
    return typeof rejection.retryAfter === 'number' ? rejection.retryAfter : 0;
  }

  /** Only a message that never reached a handler goes out again. */
  protected resendable(notSent: boolean): boolean {
    return notSent;
  }
}

/** @internal One message or event of the `ServiceClientProxy`, with the service's resilience, within its deadline. */
export function executeTcpCall<T>(runtime: ServiceRuntime<ClientTCP>, dispatch: TcpDispatch<T>, callerSignal: AbortSignal): Promise<T[]> {
  return new TcpCall(runtime, dispatch, callerSignal).run();
}
