import { ClientProxy, type ClientTCP, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { AsyncSubject, connectable, defer, Observable } from 'rxjs';
import { awaitInstancesAlone } from '../request/await-instances.js';
import type { ServiceRuntime } from '../request/service-runtime.js';
import { executeTcpCall } from './tcp-call.js';

/**
 * A `@nestjs/microservices` `ClientProxy` for the TCP transport that sends every message to an instance of the
 * service chosen by the service's strategy, found through discovery (the TCP port each instance registered,
 * `ports.tcp`), with the service's resilience: deadline, outlier ejection, circuit breaker, and retries on
 * another instance when a connection failed before the message was sent. `send()` emits what the handler
 * emitted once it completed; unsubscribing cancels the call. `emit()` is hot, like Nest's: the event is sent
 * whether or not anyone subscribes, and the Observable completes once it was written to an instance.
 *
 * @example
 * constructor(@InjectServiceClientProxy('orders') private readonly orders: ServiceClientProxy) {}
 * total() { return this.orders.send<number>({ cmd: 'sum' }, [1, 2, 3]); }
 */
export class ServiceClientProxy extends ClientProxy {
  private created: ServiceRuntime<ClientTCP> | undefined;

  /** @internal `runtime` is built on first use, so an unused proxy registers no breaker and opens nothing. */
  constructor(private readonly createRuntime: () => ServiceRuntime<ClientTCP>) {
    super();
  }

  private get runtime(): ServiceRuntime<ClientTCP> {
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
      executeTcpCall<TResult>(this.runtime, (connection) => connection.send<TResult>(pattern, data), controller.signal).then(
        (values) => {
          for (const value of values) subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
      return () => controller.abort();
    });
  }

  override emit<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    // Hot, as Nest's own emit(): callers commonly fire and forget. An AsyncSubject also answers late subscribers.
    const sent = connectable(defer(() => this.dispatchEvent<TResult>({ pattern, data })), { connector: () => new AsyncSubject<TResult>(), resetOnDisconnect: false });
    sent.connect();
    return sent;
  }

  /** @internal Not used: `send()` is overridden. */
  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('ServiceClientProxy sends through send()'), isDisposed: true });
    return () => undefined;
  }

  /** An event goes to one instance picked by the strategy, with the same resilience as `send()`. */
  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const values = await executeTcpCall<T>(this.runtime, (connection) => connection.emit<T>(packet.pattern, packet.data), new AbortController().signal);
    return values[values.length - 1] as T;
  }
}
