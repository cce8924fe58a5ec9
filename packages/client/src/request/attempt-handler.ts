import { errors, type Dispatcher } from 'undici';
import { NOT_SENT } from './attempt-outcome.js';

const QUEUED = 0;
const CONNECTED = 1;
const ANSWERED = 2;
const OVER = 3;

/** Runs the attempt timer of `handler` (a plain function: no closure per attempt). */
function onAttemptTimer(handler: AttemptHandler): void {
  handler.onAttemptTimer();
}

/**
 * @internal What the undici dispatch handlers of an attempt share: the call's deadline (or a caller's signal) and
 * `timeout.ms` on the client's own timer, exact to the ms, in every phase, waiting for a pool connection included
 * (undici acts on an abort only once a request has a connection; its timeouts tick at ~1 s):
 * - **Queued**: an abort or timeout settles the attempt at once (`failed()`); when undici dequeues the request,
 *   `onConnect` throws, which fails that request alone: no byte written, the connection kept.
 * - **Connected**: undici's `abort()` ends the exchange (the socket is closed).
 * - **Answered**: the signal no longer applies; `timeout.ms` bounds each silence of the upstream between two body
 *   chunks, not a paused reader's. One timer per attempt (with `timeout.ms`), re-armed if it fires early.
 */
export abstract class AttemptHandler implements Dispatcher.DispatchHandler {
  /** undici's abort of this exchange, once connected. */
  protected abortExchange: ((error?: Error) => void) | undefined;
  private phase = QUEUED;
  private dropped: Error | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** `performance.now()` of the last body chunk (or of the headers, or of a resume). */
  private lastData = 0;
  private paused = false;

  constructor(
    private readonly abortOn: AbortSignal | undefined,
    /** `timeout.ms`, if any (then {@link resumed} must be called when a paused body resumes). */
    protected readonly timeoutMs: number | undefined,
  ) {
    if (timeoutMs !== undefined) this.timer = setTimeout(onAttemptTimer, timeoutMs, this);
    if (abortOn?.aborted) queueMicrotask(() => this.handleEvent());
    else abortOn?.addEventListener('abort', this);
  }

  /** @internal `abortOn` aborted (the handler is its own listener: no closure): the attempt ends at once. */
  handleEvent(): void {
    const reason = this.abortOn!.reason as Error;
    if (this.phase === QUEUED) this.drop(reason);
    else if (this.phase === CONNECTED) this.abortExchange!(reason);
  }

  /** A connection took the request. */
  protected abstract connected(abort: (error?: Error) => void): void;
  /** The answer's status and headers (status >= 200); `false` pauses the body. */
  protected abstract headersArrived(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean;
  /** A body chunk; `false` pauses the body until the reader resumes it ({@link resumed}). */
  protected abstract data(chunk: Buffer): boolean;
  protected abstract completed(trailers: string[] | null): void;
  /** The exchange failed (or was dropped while queued, or cancelled, or timed out). */
  protected abstract failed(error: Error): void;

  /** @internal The attempt timer fired. */
  onAttemptTimer(): void {
    this.timer = undefined;
    const ms = this.timeoutMs!;
    if (this.phase === QUEUED) {
      // Nothing was sent: another instance may take it, whatever the method.
      return this.drop(Object.assign(new errors.HeadersTimeoutError(`no answer within timeout.ms (${ms} ms): no connection was free`), { [NOT_SENT]: true }));
    }
    if (this.phase === CONNECTED) return this.abortExchange!(new errors.HeadersTimeoutError(`no answer within timeout.ms (${ms} ms)`));
    // A paused body is the reader's silence, not the upstream's: the timer stays unset until it resumes.
    if (this.phase !== ANSWERED || this.paused) return;
    const silence = performance.now() - this.lastData;
    // Node may fire a timer up to 1 ms before performance.now() says it is due.
    if (silence >= ms - 1) this.abortExchange!(new errors.BodyTimeoutError(`no body chunk within timeout.ms (${ms} ms)`));
    else this.timer = setTimeout(onAttemptTimer, ms - silence, this);
  }

  /** Call when the reader resumes a paused body: its silence is the upstream's again from now. */
  protected resumed(): void {
    this.paused = false;
    const ms = this.timeoutMs;
    if (ms === undefined) return;
    this.lastData = performance.now();
    // The timer fired while the body was paused: armed again from now.
    if (this.timer === undefined && this.phase === ANSWERED) this.timer = setTimeout(onAttemptTimer, ms, this);
  }

  onConnect(abort: (error?: Error) => void): void {
    // Thrown, not abort(): undici then fails this request alone, leaving the connection to the next one.
    if (this.dropped === undefined && this.abortOn?.aborted) this.drop(this.abortOn.reason as Error);
    if (this.dropped !== undefined) throw this.dropped;
    this.phase = CONNECTED;
    this.abortExchange = abort;
    this.connected(abort);
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    // An interim (1xx) answer: undici's request() only hands it to an `onInfo` option, which the client never sets.
    if (status < 200) return true;
    this.phase = ANSWERED;
    this.abortOn?.removeEventListener('abort', this);
    if (this.timeoutMs !== undefined) this.lastData = performance.now();
    const more = this.headersArrived(status, raw, resume, statusText);
    if (more === false) this.paused = true;
    return more;
  }

  onData(chunk: Buffer): boolean {
    if (this.timeoutMs !== undefined) this.lastData = performance.now();
    const more = this.data(chunk);
    if (more === false) this.paused = true;
    return more;
  }

  onComplete(trailers: string[] | null): void {
    this.finish();
    this.completed(trailers);
  }

  onError(error: Error): void {
    if (this.dropped !== undefined) return; // already settled when it was dropped
    this.finish();
    this.failed(error);
  }

  /** Settles the attempt with `error` now, and refuses the request when undici dequeues it ({@link onConnect}). */
  private drop(error: Error): void {
    this.onError(error);
    this.dropped = error;
  }

  private finish(): void {
    this.phase = OVER;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.abortOn?.removeEventListener('abort', this);
  }
}
