import { AbortTarget, type RelayExchange, type RelaySink } from '@nestmesh/client/relay';
import type { ServerResponse } from 'node:http';
import { clientWentAway } from './client-departure.js';
import { countedSizeError } from './response-size.js';

/**
 * The headers to send back (`[name, value, ...]`, as `writeHead()` takes them) for an upstream's status and raw
 * header pairs; throwing refuses the answer. @internal
 */
export type ResponseHead = (status: number, rawHeaders: readonly Buffer[]) => string[];

/**
 * The client's response as the sink of a relayed upstream answer (`@nestmesh/client`'s `RelaySink`): the
 * answer's headers as `head` makes them, then its body written straight through, no stream or pipe in between
 * (`npm run bench -- proxy`). A full client socket pauses the upstream until it drains; a body over `maxBytes`
 * (counted whether or not it declared a length) cuts the connection, as does any failure after the headers.
 * `abort()` (the client went away, or its body failed) ends the exchange at whatever stage it is. @internal
 */
export class ResponseSink implements RelaySink {
  /**
   * Resolves when the answer is over: complete, or cut after its headers. Rejects when no answer could be had
   * ({@link refused}).
   */
  readonly done: Promise<void>;
  /** Aborts the exchange before its answer starts (handed to the upstream call as its signal). */
  readonly cancelled = new AbortTarget();
  /** Set when the client's body failed (a limit, a timeout): what {@link done} rejects with, whatever that did upstream. */
  bodyError: Error | undefined;
  /** The upstream call got no answer for this sink (or the sink refused it): {@link done} rejects. */
  readonly refused = (error: unknown): void => this.failed(this.bodyError ?? error);
  private over!: () => void;
  private failed!: (error: unknown) => void;
  private exchange: RelayExchange | undefined;
  private seen = 0;
  private readonly resume = () => this.exchange?.resume();

  constructor(
    private readonly res: ServerResponse,
    private readonly head: ResponseHead,
    private readonly maxBytes: number,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.over = resolve;
      this.failed = reject;
    });
  }

  /**
   * Ends the exchange: the client went away, or its body failed. Before the answer started, the upstream call
   * fails with `reason`; after, the answer is cut (the client's connection closed) and `done` resolves.
   */
  abort(reason: Error): void {
    if (!this.exchange) return this.cancelled.abort(reason);
    this.exchange.abort(reason);
    this.fail();
  }

  start(status: number, exchange: RelayExchange): void {
    this.res.writeHead(status, this.head(status, exchange.rawHeaders));
    this.exchange = exchange;
    if (this.res.destroyed) exchange.abort(clientWentAway());
  }

  write(chunk: Buffer): boolean {
    this.seen += chunk.length;
    const over = countedSizeError(this.seen, this.maxBytes);
    if (over) throw over;
    if (this.res.write(chunk)) return true;
    this.res.once('drain', this.resume);
    return false;
  }

  end(): void {
    this.res.end();
    this.over();
  }

  fail(): void {
    this.res.destroy(); // the headers are out: cutting the connection says the body is incomplete
    this.over();
  }
}
