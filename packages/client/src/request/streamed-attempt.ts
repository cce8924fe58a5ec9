import { Dispatcher, type Pool } from 'undici';
import { AttemptHandler } from './attempt-handler.js';

/** undici's `request()`: it builds its own handler (the one that makes the body stream) and calls `this.dispatch()`. */
const undiciRequest = Dispatcher.prototype.request as (this: Pick<Dispatcher, 'dispatch'>, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/**
 * @internal One attempt of `ServiceClient.request()`: undici's `request()`, its handler wrapped as
 * {@link AttemptHandler} says; the attempt is the dispatcher `request()` is called on (one object, no closure).
 */
export class StreamedAttempt extends AttemptHandler {
  /** The handler undici's `request()` made (it has every legacy dispatch handler method). */
  private inner!: Required<Dispatcher.DispatchHandler>;

  private constructor(
    private readonly pool: Pool,
    abortOn: AbortSignal | undefined,
    timeoutMs: number | undefined,
  ) {
    super(abortOn, timeoutMs);
  }

  /** Sends `options` over `pool`, ended by `abortOn` and `timeoutMs`. */
  static send(pool: Pool, options: Dispatcher.RequestOptions, abortOn: AbortSignal | undefined, timeoutMs: number | undefined): Promise<Dispatcher.ResponseData> {
    return undiciRequest.call(new StreamedAttempt(pool, abortOn, timeoutMs), options);
  }

  /** Called by undici's `request()` with its handler. */
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.inner = handler as Required<Dispatcher.DispatchHandler>;
    return this.pool.dispatch(options, this);
  }

  protected connected(abort: (error?: Error) => void): void {
    this.inner.onConnect(abort);
  }

  protected headersArrived(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    if (this.timeoutMs === undefined) return this.inner.onHeaders(status, raw, resume, statusText);
    // The body stream resumes the parser when its reader reads again: the attempt must know (body silences).
    const onResume = () => {
      this.resumed();
      resume();
    };
    return this.inner.onHeaders(status, raw, onResume, statusText);
  }

  protected data(chunk: Buffer): boolean {
    return this.inner.onData(chunk);
  }

  protected completed(trailers: string[] | null): void {
    this.inner.onComplete(trailers);
  }

  protected failed(error: Error): void {
    this.inner.onError(error);
  }
}
