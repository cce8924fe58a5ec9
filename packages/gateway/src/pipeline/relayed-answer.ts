import type { RelayExchange, RelaySink } from '@nestmesh/client/relay';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRequestContext } from '../interfaces/gateway-hooks.interface.js';
import type { ServiceOutages } from '../proxy/service-outages.js';
import { clientWentAway } from '../proxy/client-departure.js';
import { countedSizeError, declaredSizeError, isBodilessStatus } from '../proxy/response-size.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import type { GatewayProxyDeps } from './gateway-proxy-deps.interface.js';
import { ForwardedExchange, forwardedRequest } from './request-body.js';
import { relayedResponseHeaders } from './returned-response-headers.js';

/**
 * Forwards an admitted request to `path`, its answer relayed straight into `res` (a {@link ResponseSink}): the
 * gateway's hot path, taken when nothing needs the answer as a stream (no response hook, no cache). Its one
 * promise is the sink's (no async frame): resolves once the answer is over, rejects when none could be had. @internal
 */
export function relayAnswer(
  deps: Pick<GatewayProxyDeps, 'clients' | 'outages' | 'bodyTimeout'>,
  req: IncomingMessage,
  res: ServerResponse,
  route: CompiledRoute,
  context: GatewayRequestContext,
  path: string,
  withBody: boolean,
  own: Record<string, string | number>,
): Promise<void> {
  const sink = new ResponseSink(res, route, own, deps.outages);
  const request = forwardedRequest(req, res, route, context, path, withBody, deps.bodyTimeout, sink);
  deps.clients!.get(route.target.clientKey).relay(request, sink).catch(sink.refused);
  return sink.done;
}

/**
 * The client's response as the `RelaySink` of an upstream answer, and the exchange's abort target: headers as
 * {@link relayedResponseHeaders} makes them, then the body written straight through, no stream or pipe in between
 * (`npm run bench -- proxy`); a full client socket pauses the upstream until it drains. A declared length over
 * `maxResponseSize` is refused; a counted one, or any failure after the headers, cuts the connection. @internal
 */
export class ResponseSink extends ForwardedExchange implements RelaySink {
  /** Resolves when the answer is over (complete, or cut after its headers); rejects when none could be had. */
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
    private readonly outages: ServiceOutages,
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
    const tooLarge = declaredSizeError(status, length, route.maxResponseSize, this.res.req?.method);
    if (tooLarge) throw tooLarge;
    this.res.writeHead(status, headers);
    this.outages.answered(route.target.clientKey);
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
