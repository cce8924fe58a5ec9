import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRequestContext } from '../interfaces/gateway-hooks.interface.js';
import { ResponseSink } from '../proxy/response-sink.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import type { GatewayProxyDeps } from './gateway-proxy-deps.interface.js';
import { forwardedRequest } from './request-body.js';

/**
 * Forwards an admitted request to `path` with the answer relayed straight into `res` (a {@link ResponseSink}): the
 * route's path when nothing needs the answer as a stream (no response hook, no cache), and the gateway's hot path.
 * Resolves once the answer is over; rejects when none could be had (the client's body failing wins over what that
 * did upstream). One promise for all of it, the sink's (no async frame on the hot path). @internal
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
  const sink = new ResponseSink(res, route, own);
  const request = forwardedRequest(req, res, route, context, path, withBody, deps.bodyTimeout, sink);
  deps.upstreams.relay(route.target, request, sink).catch(sink.refused);
  return sink.done;
}
