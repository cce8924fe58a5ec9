import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { lastValueUntilAborted } from '@nestmesh/common';
import { resilienceRejectionOf } from '@nestmesh/resilience';
import { AsyncSubject, from, mergeMap, Observable, throwError, toArray, timeout as rxTimeout } from 'rxjs';
import { propagatedContext } from '../context/request-context.js';
import { AttemptLoop } from '../request/attempt-loop.js';
import { ATTEMPT_TIMEOUT_CODE } from '../request/attempt-outcome.js';
import { awaitInstancesAlone } from '../request/await-instances.js';
import type { ServiceRuntime } from '../request/service-runtime.js';
import type { BoundedClientTCP } from './tcp-client.factory.js';

/**
 * One message (`send()`) or event (`emit()`) of the `ServiceClientProxy`. A message may not be idempotent: only
 * one that failed before it was sent, or that an instance refused unhandled (no new messages to it for its
 * `retryAfter`), is retried.
 */
class TcpCall<T> extends AttemptLoop<BoundedClientTCP, T[], T[]> {
  constructor(
    runtime: ServiceRuntime<BoundedClientTCP>,
    private readonly packet: ReadPacket,
    private readonly event: boolean,
    callerSignal?: AbortSignal,
  ) {
    super(runtime, undefined, runtime.options.deadline, propagatedContext.getStore()?.deadlineAt, callerSignal);
  }

  protected send(connection: BoundedClientTCP): Promise<T[]> {
    const { pattern, data } = this.packet;
    let source = this.event ? connection.emitWhileSubscribed<T>(pattern, data) : connection.send<T>(pattern, data);
    const ms = this.runtime.options.attemptTimeout;
    if (ms !== undefined) {
      const timedOut = () => Object.assign(new Error(`no answer within ${ms} ms`), { code: ATTEMPT_TIMEOUT_CODE });
      source = source.pipe(rxTimeout({ first: ms, with: () => throwError(timedOut) }));
    }
    return lastValueUntilAborted(source.pipe(toArray()), this.deadline.signal);
  }

  protected result(values: T[]): T[] {
    return values;
  }

  /**
   * A transport failure (a socket error with a code, or Nest's "Connection closed"), not the remote handler's error:
   * a plain object decoded from its reply (`{ status, message }`, or `{ code, message, stack }` of an `RpcException`),
   * never a real `Error`. Checked by the object's own tag: errors of Node's realm are not `instanceof` another
   * realm's `Error`, and a remote object may have any shape.
   */
  protected override isFailure(error: unknown): boolean {
    if (Object.prototype.toString.call(error) !== '[object Error]') return false;
    const e = error as { code?: unknown; message?: unknown };
    return typeof e.code === 'string' || e.message === 'Connection closed';
  }

  /** The `retryAfter` (ms, 0 when it gave none) of a remote rejection that did not run the handler. */
  protected override refusal(error: unknown): number | undefined {
    const rejection = resilienceRejectionOf(error);
    if (rejection?.code !== 'CIRCUIT_OPEN' && rejection?.code !== 'BULKHEAD_FULL') return undefined;
    return typeof rejection.retryAfter === 'number' ? rejection.retryAfter : 0;
  }
}

/**
 * A `@nestjs/microservices` `ClientProxy` for the TCP transport: each message goes to an instance the service's
 * strategy picks (at its registered `ports.tcp`), with the service's resilience (deadline, ejection, breaker,
 * retries elsewhere when nothing was sent). `send()` emits what the handler emitted once it completed (unsubscribe
 * to cancel); `emit()` is hot, like Nest's: sent with or without a subscriber, complete once written to an instance.
 *
 * @example
 * constructor(@InjectServiceClientProxy('orders') private readonly orders: ServiceClientProxy) {}
 * total() { return this.orders.send<number>({ cmd: 'sum' }, [1, 2, 3]); }
 */
export class ServiceClientProxy extends ClientProxy {
  private created: ServiceRuntime<BoundedClientTCP> | undefined;

  /** @internal `runtime` is built on first use, so an unused proxy registers no breaker and opens nothing. */
  constructor(private readonly createRuntime: () => ServiceRuntime<BoundedClientTCP>) {
    super();
  }

  private get runtime(): ServiceRuntime<BoundedClientTCP> {
    return (this.created ??= this.createRuntime());
  }

  /** Waits until discovery answered for the service, at most its `deadline` (`send()` does it by itself). */
  async connect(): Promise<void> {
    await awaitInstancesAlone(this.runtime);
  }

  /** Nothing to do: the connections belong to the module, which closes them when the app closes. */
  close(): void {}

  /** The per-instance `ClientTCP`s currently open. */
  unwrap<T>(): T {
    return this.runtime.balancer.all().map((endpoint) => endpoint.connection) as T;
  }

  override send<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    return new Observable<TResult>((subscriber) => {
      const controller = new AbortController();
      const call = new TcpCall<TResult>(this.runtime, { pattern, data }, false, controller.signal);
      from(call.run()).pipe(mergeMap((values) => values)).subscribe(subscriber);
      return () => controller.abort();
    });
  }

  override emit<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    // Hot, as Nest's own emit(): callers commonly fire and forget. An AsyncSubject also answers late subscribers.
    const sent = new AsyncSubject<TResult>();
    from(this.dispatchEvent<TResult>({ pattern, data })).subscribe(sent);
    return sent;
  }

  /** @internal Not used: `send()` is overridden. */
  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('ServiceClientProxy sends through send()'), isDisposed: true });
    return () => undefined;
  }

  /** An event goes to one instance picked by the strategy, with the same resilience as `send()`. */
  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const values = await new TcpCall<T>(this.runtime, packet, true).run();
    return values[values.length - 1] as T;
  }
}
