import { AttemptHandler } from './attempt-handler.js';
import { parseRawHeaders } from './raw-headers.js';

/** The exchange a {@link RelaySink} receives: the answer's headers, and how to restart a paused body or end it early. */
export interface RelayExchange {
  /** The header pairs as received (`[name, value, name, value, ...]`, names as the upstream spelled them). */
  readonly rawHeaders: readonly Buffer[];
  /** The same headers parsed (names lower-case, a repeated header as an array), made on first use. */
  readonly headers: Record<string, string | string[]>;
  /** Restarts a body that `RelaySink.write` paused. */
  resume(): void;
  /** Ends the exchange early (the client went away); the sink hears nothing more. */
  abort(reason: Error): void;
}

/** Where a relayed answer goes once the call settles on it (a gateway's response to its client): `ServiceClient.relay()`'s sink. */
export interface RelaySink {
  /**
   * The answer's status, and the exchange (its headers, raw or parsed). Throwing refuses the answer: the
   * exchange is aborted and the relay fails with that error.
   */
  start(status: number, exchange: RelayExchange): void;
  /** A body chunk; `false` pauses the upstream until `resume` is called. */
  write(chunk: Buffer): boolean;
  /** The body is complete. */
  end(): void;
  /** The exchange failed after `start` (the body is incomplete). */
  fail(error: Error): void;
}

/**
 * One HTTP exchange as an undici dispatch handler, its answer relayed to a {@link RelaySink} or discarded with no
 * body stream (the cheapest way through undici). The parser pauses at the headers until the caller decides:
 * `relayTo()` the answer it keeps, `dump()` one it retries (the connection stays reusable).
 */
export class RelayAttempt extends AttemptHandler implements RelayExchange {
  /** Resolves once the status and headers arrived; rejects when the exchange failed before. */
  readonly answered: Promise<RelayAttempt>;
  statusCode = 0;
  rawHeaders: readonly Buffer[] = [];
  private parsedHeaders: Record<string, string | string[]> | undefined;
  private onAnswer!: (attempt: RelayAttempt) => void;
  private onFailure!: (error: Error) => void;
  private resumeParser: (() => void) | undefined;
  private sink: RelaySink | undefined;
  private discarded: (() => void) | undefined;
  private state: 'waiting' | 'answered' | 'relaying' | 'discarding' | 'over' = 'waiting';
  /** What arrived while the caller was deciding: undici may go on past a pause (an answer with no body ends at once). */
  private early: Buffer[] | undefined;
  private endedEarly = false;
  private failure: Error | undefined;

  /** `abortOn` and `timeoutMs` end the exchange as {@link AttemptHandler} says. */
  constructor(abortOn?: AbortSignal, timeoutMs?: number) {
    super(abortOn, timeoutMs);
    this.answered = new Promise<RelayAttempt>((resolve, reject) => {
      this.onAnswer = resolve;
      this.onFailure = reject;
    });
  }

  /** Relays the answer (and the rest of its body) to `sink`; throws what `sink.start()` threw, or a failure since the headers. */
  relayTo(sink: RelaySink): void {
    if (this.state !== 'answered') throw this.failure ?? new Error(`RelayAttempt.relayTo(): the answer is ${this.state}, not waiting to be relayed.`);
    let started = false;
    let flowing = true;
    try {
      sink.start(this.statusCode, this);
      started = true;
      this.state = 'relaying';
      this.sink = sink;
      const early = this.early;
      this.early = undefined;
      if (early !== undefined) for (const chunk of early) flowing = sink.write(chunk);
    } catch (error) {
      // Either way the exchange ends; a throw from start() is the caller's, one from write() the sink hears of.
      this.state = 'over';
      this.abortExchange?.(error as Error);
      if (!started) throw error;
      sink.fail(error as Error);
      return;
    }
    if (this.endedEarly) {
      this.state = 'over';
      sink.end();
    } else if (flowing) this.resume();
  }

  /** Reads the rest of the answer into nothing, so the connection can carry another request. */
  dump(): Promise<void> {
    this.early = undefined;
    if (this.state !== 'answered' || this.endedEarly) {
      if (this.state === 'answered') this.state = 'over';
      return Promise.resolve();
    }
    this.state = 'discarding';
    return new Promise<void>((resolve) => {
      this.discarded = resolve;
      this.resume();
    });
  }

  get headers(): Record<string, string | string[]> {
    return (this.parsedHeaders ??= parseRawHeaders(this.rawHeaders));
  }

  /** The answer itself: what a call resolves with (its body is the exchange, relayed or dumped). */
  get body(): this {
    return this;
  }

  resume(): void {
    if (this.resumeParser === undefined) return;
    this.resumed();
    this.resumeParser();
  }

  abort(reason: Error): void {
    if (this.state === 'over') return;
    if (this.state === 'relaying') this.state = 'over'; // the sink asked: it hears nothing more
    this.failure ??= reason;
    this.abortExchange?.(reason);
  }

  protected connected(abort: (error?: Error) => void): void {
    if (this.failure) abort(this.failure);
  }

  protected headersArrived(status: number, raw: Buffer[], resume: () => void): boolean {
    this.statusCode = status;
    this.rawHeaders = raw;
    this.resumeParser = resume;
    this.state = 'answered';
    this.onAnswer(this);
    return false; // paused until relayTo() or dump()
  }

  protected data(chunk: Buffer): boolean {
    if (this.state === 'relaying') return this.sink!.write(chunk);
    if (this.state === 'answered') {
      (this.early ??= []).push(chunk);
      return false;
    }
    return true;
  }

  protected completed(): void {
    if (this.state === 'answered') {
      this.endedEarly = true;
      return;
    }
    const state = this.state;
    this.state = 'over';
    if (state === 'relaying') this.sink!.end();
    else this.discarded?.();
  }

  protected failed(error: Error): void {
    // undici counts a 204's or 304's Content-Length against the body such answers never have (RFC 9110 §6.4.1)
    // and fails the exchange after its headers: the answer is complete (undici has closed the connection).
    if ((this.state === 'answered' || this.state === 'relaying') && (this.statusCode === 204 || this.statusCode === 304) && (error as { code?: string }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      return this.completed();
    }
    const state = this.state;
    this.state = 'over';
    this.failure ??= error;
    if (state === 'waiting') this.onFailure(error);
    else if (state === 'relaying') this.sink!.fail(error);
    else this.discarded?.();
  }
}
