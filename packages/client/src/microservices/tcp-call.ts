import type { ClientTCP } from '@nestjs/microservices';
import { resilienceRejectionOf } from '@nestmesh/resilience';
import { toArray, timeout as rxTimeout, type Observable } from 'rxjs';
import type { Endpoint } from '../balancer/endpoint.js';
import { currentPropagatedContext } from '../context/request-context.js';
import { AttemptFailure, ATTEMPT_TIMEOUT_CODE, InstanceRejection, failedBeforeSending } from '../request/attempt-outcome.js';
import { startDeadline } from '../request/call-deadline.js';
import { toCallError } from '../request/call-errors.js';
import { awaitInstances } from '../request/await-instances.js';
import { deferInstance, retryDelay } from '../request/retry-target.js';
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

/** Collects what `source` emits, unsubscribing (and rejecting) when `signal` aborts. */
function collect<T>(source: Observable<T>, signal: AbortSignal): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const onAbort = () => {
      subscription.unsubscribe();
      reject(signal.reason);
    };
    const subscription = source.pipe(toArray()).subscribe({
      next: (values) => {
        signal.removeEventListener('abort', onAbort);
        resolve(values);
      },
      error: (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** @internal What one attempt does with the `ClientTCP` of the picked instance: `send()` a message or `emit()` an event. */
export type TcpDispatch<T> = (connection: ClientTCP) => Observable<T>;

/**
 * @internal One message or event of the `ServiceClientProxy`: `dispatch` on the `ClientTCP` of an instance the
 * strategy picks, through the service's resilience, within the deadline. Only failures before it was sent
 * (connection refused, unreachable) and an instance's own refusal (its circuit open, its bulkhead full: no new
 * messages to it for its `retryAfter`) are retried, on another instance: a message may not be idempotent.
 */
export async function executeTcpCall<T>(runtime: ServiceRuntime<ClientTCP>, dispatch: TcpDispatch<T>, callerSignal: AbortSignal): Promise<T[]> {
  const { options, balancer, policy } = runtime;
  const deadline = startDeadline(options.deadline, currentPropagatedContext()?.deadlineAt, callerSignal);
  const tried = new Set<Endpoint<ClientTCP>>();
  let attempts = 0;
  let last: Endpoint<ClientTCP> | undefined;

  const attempt = async ({ attempt }: { attempt: number }): Promise<T[]> => {
    attempts = attempt;
    const endpoint = balancer.pick(undefined, tried);
    if (endpoint === undefined) throw new AttemptFailure(new Error('no other instance left to try'), last!.instance, false);
    tried.add(endpoint);
    last = endpoint;
    let source = dispatch(endpoint.connection);
    if (options.attemptTimeout !== undefined) {
      const ms = options.attemptTimeout;
      source = source.pipe(rxTimeout({ first: ms, with: () => { throw Object.assign(new Error(`no answer within ${ms} ms`), { code: ATTEMPT_TIMEOUT_CODE }); } }));
    }
    endpoint.inFlight++;
    const sentAt = performance.now();
    try {
      const values = await collect(source, deadline.signal);
      const now = performance.now();
      endpoint.observe(now - sentAt, now);
      balancer.onSuccess(endpoint, now);
      return values;
    } catch (error) {
      if (deadline.signal.aborted) throw error;
      const refusedFor = refusalOf(error);
      if (refusedFor === undefined && !isTransportFailure(error)) throw error;
      const now = performance.now();
      if (refusedFor !== undefined) deferInstance(balancer, endpoint, refusedFor, now);
      balancer.onFailure(endpoint, now);
      const mayRetry = (refusedFor !== undefined || failedBeforeSending(error)) && options.retry !== false && attempt < (options.retry.maxAttempts ?? 1);
      const wait = mayRetry ? retryDelay(balancer, tried, options, deadline.at, now) : undefined;
      throw new (refusedFor === undefined ? AttemptFailure : InstanceRejection)(error, endpoint.instance, wait !== undefined, wait);
    } finally {
      endpoint.inFlight--;
    }
  };

  try {
    if (!balancer.isReady) await awaitInstances(runtime);
    runtime.budget?.recordRequest();
    return await policy.execute(attempt, deadline.signal);
  } catch (error) {
    // An instance's refusal that was not retried reaches the caller as the remote sent it.
    if (error instanceof InstanceRejection && !callerSignal.aborted) throw error.cause;
    throw toCallError(error, {
      serviceName: options.serviceName,
      attempts,
      instanceId: last?.instance.id,
      deadline: deadline.ms,
      attemptTimeout: options.attemptTimeout,
      deadlineExpired: deadline.expired(),
      callerSignal,
    });
  } finally {
    deadline.clear();
  }
}
