import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRequestContext } from '../interfaces/gateway-hooks.interface.js';
import { isBodilessStatus } from '../proxy/bodiless-answer.js';
import { endWhenClientGoes } from '../proxy/client-departure.js';
import { ResponseSink } from '../proxy/response-sink.js';
import { declaredSizeError } from '../proxy/response-size.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import type { GatewayProxyDeps } from './gateway-proxy-deps.interface.js';
import { streamedBody } from './request-body.js';
import { relayedResponseHeaders } from './returned-response-headers.js';

/**
 * Forwards an admitted request to `path` with the answer relayed straight into `res` (a {@link ResponseSink}): the
 * route's path when nothing needs the answer as a stream (no response hook, no cache), and the gateway's hot path.
 * The answer's headers go back as {@link relayedResponseHeaders} makes them, with `own` last; a declared or
 * counted length over `maxResponseSize` is refused. Resolves once the answer is over; rejects when none could be
 * had (the client's body failing wins over what that did upstream). One promise for all of it, the sink's (no
 * async frame on the hot path). @internal
 */
export function relayAnswer(
  deps: Pick<GatewayProxyDeps, 'upstreams' | 'bodyTimeout'>,
  req: IncomingMessage,
  res: ServerResponse,
  route: CompiledRoute,
  context: GatewayRequestContext,
  path: string,
  withBody: boolean,
  own: Record<string, string | number>,
): Promise<void> {
  const sink = new ResponseSink(
    res,
    (status, raw) => {
      const { headers, length } = relayedResponseHeaders(raw, route.responseHeaders, own, isBodilessStatus(status));
      const tooLarge = declaredSizeError(status, length, route.maxResponseSize);
      if (tooLarge) throw tooLarge;
      return headers;
    },
    route.maxResponseSize,
  );
  const body = withBody
    ? streamedBody(req, res, route.maxBodySize, deps.bodyTimeout, (error) => {
        sink.bodyError = error;
        sink.abort(error);
      })
    : undefined;
  endWhenClientGoes(res, sink, body);
  deps.upstreams.relay(route.target, { method: context.method, path, headers: context.headers, body, signal: sink.cancelled.undiciSignal, timeout: route.timeout }, sink).catch(sink.refused);
  return sink.done;
}
