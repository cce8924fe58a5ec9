import type { RelayExchange, RelaySink } from '@nestmesh/client/relay';
import type { ServerResponse } from 'node:http';
import { ForwardedExchange } from '../pipeline/request-body.js';
import { relayedResponseHeaders } from '../pipeline/returned-response-headers.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import { isBodilessStatus } from './bodiless-answer.js';
import { clientWentAway } from './client-departure.js';
import { countedSizeError, declaredSizeError } from './response-size.js';

/**
 * The client's response as the sink of a relayed upstream answer (`@nestmesh/client`'s `RelaySink`), and the
 * exchange's abort target: the answer's headers as {@link relayedResponseHeaders} makes them with `own` last, then
 * its body written straight through, no stream or pipe in between (`npm run bench -- proxy`). A full client socket
 * pauses the upstream until it drains; a length over the route's `maxResponseSize`, declared (refused before the
 * headers) or counted (the connection cut), and any failure after the headers cut the connection. `abort()` (the
 * client went away, or its body failed) ends the exchange at whatever stage it is. @internal
 */
export class ResponseSink extends ForwardedExchange implements RelaySink {
  /**
   * Resolves when the answer is over: complete, or cut after its headers. Rejects when no answer could be had
   * ({@link refused}).
   */
  readonly done: Promise<void>;
  /** The upstream call got no answer for this sink (or the sink refused it): {@link done} rejects. */
  readonly refused = (error: unknown): void => this.failed(this.bodyError ?? error);
  private over!: () => void;
  private failed!: (error: unknown) => void;
  private exchange: RelayExchange | undefined;
  private seen = 0;
  private readonly resume = () => this.exchange?.resume();

  constructor(
    private readonly res: ServerResponse,
    private readonly route: CompiledRoute,
    private readonly own: Record<string, string | number>,
  ) {
    super();
    this.done = new Promise<void>((resolve, reject) => {
      this.over = resolve;
      this.failed = reject;
    });
  }

  /** Before the answer started, the upstream call fails with `reason`; after, the answer is cut and `done` resolves. */
  override abort(reason: Error): void {
    if (!this.exchange) return super.abort(reason);
    this.exchange.abort(reason);
    this.fail();
  }

  start(status: number, exchange: RelayExchange): void {
    const { route } = this;
    const bodiless = isBodilessStatus(status);
    const { headers, length } = relayedResponseHeaders(exchange.rawHeaders, route.responseHeaders, this.own, bodiless);
    const tooLarge = declaredSizeError(status, length, route.maxResponseSize);
    if (tooLarge) throw tooLarge;
    this.res.writeHead(status, headers);
    this.exchange = exchange;
    if (this.res.destroyed) exchange.abort(clientWentAway());
  }

  write(chunk: Buffer): boolean {
    this.seen += chunk.length;
    const over = countedSizeError(this.seen, this.route.maxResponseSize);
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
