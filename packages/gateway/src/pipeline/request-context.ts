import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { GatewayRequestContext, GatewayResponseContext } from '../interfaces/gateway-hooks.interface.js';
import type { RouteMatch } from '../routing/route-table.js';
import type { Admitted } from './admission.js';
import type { ClaimedRequest } from './request-claim.js';

/** What a route's request hook sees and may change, from an admitted request: the upstream path, query and headers. @internal */
export function requestContext(req: IncomingMessage, match: RouteMatch, claimed: ClaimedRequest, admitted: Admitted, requestId: string, get: GatewayRequestContext['get']): GatewayRequestContext {
  return {
    routeId: match.route.id,
    method: req.method ?? 'GET',
    params: match.params,
    identity: admitted.identity,
    client: admitted.client,
    requestId,
    path: match.route.rewrite(claimed.encodedSegments!, match.params, match.consumed),
    query: claimed.query ?? '',
    headers: admitted.headers,
    get,
  };
}

/** What a route's response hook sees and may change: the answer's status, headers and body, beside the request as sent. @internal */
export function responseContext(request: GatewayRequestContext, status: number, headers: Record<string, string | string[]>, body: Readable): GatewayResponseContext {
  const { path, query, headers: sent, ...shared } = request;
  return { ...shared, request: { path, query, headers: sent }, status, headers, body };
}
