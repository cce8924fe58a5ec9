import type { EndpointLease } from '@nestmesh/client/relay';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { joinPathAndQuery } from '../edge/path-and-query.js';
import { requestIdOf } from '../edge/request-id.js';
import { runRequestHook } from '../hooks/run-transformation-hook.js';
import type { ProblemDetails } from '../proxy/problem-details.js';
import { writeSocketProblem } from '../proxy/socket-answer.js';
import { checkUpgradeRequest, NOT_A_WEBSOCKET_ROUTE } from '../proxy/websocket-handshake.js';
import { HANDSHAKE_DEADLINE, openTunnel } from '../proxy/websocket-tunnel.js';
import type { Admission } from './admission.js';
import { failureProblem } from './failure-problem.js';
import type { GatewayProxyDeps } from './gateway-proxy-deps.interface.js';
import type { ClaimedRequest } from './request-claim.js';
import { requestContext } from './request-context.js';

const SHUTTING_DOWN: ProblemDetails = { status: 503, detail: 'The gateway is shutting down; retry on another instance.', headers: { 'retry-after': 1 }, close: true };

/**
 * A WebSocket upgrade: refused (problem+json on the socket) unless its route opted in with `websocket: true` and
 * it is a valid opening handshake; then the same admission as any request, the route's request hook, and a tunnel
 * to the balancer's pick that opens only after a `101` proving the handshake ({@link openTunnel}). @internal
 */
export async function handleUpgrade(deps: GatewayProxyDeps, admission: Admission, req: IncomingMessage, socket: Duplex, head: Buffer, claimed: ClaimedRequest): Promise<void> {
  socket.on('error', () => socket.destroy());
  const requestId = requestIdOf(req.headers, deps.trustRequestId);
  if (claimed.refusal || !claimed.match) return writeSocketProblem(socket, claimed.refusal ?? { status: 404, detail: 'No route matches this request.' }, undefined, requestId);
  const { route } = claimed.match;
  const refusal = route.websocket ? checkUpgradeRequest(req.method, req.headers) : NOT_A_WEBSOCKET_ROUTE;
  if (refusal) return writeSocketProblem(socket, refusal, claimed.path, requestId);
  let lease: EndpointLease | undefined;
  try {
    const admitted = await admission.admit(req, route, requestId);
    if (admitted.refused) return writeSocketProblem(socket, admitted.refused, claimed.path, requestId);
    const context = requestContext(req, claimed.match, claimed, admitted, requestId, deps.get);
    if (route.onRequest) await runRequestHook(route, context);
    lease = await deps.clients!.get(route.target.clientKey).lease();
    deps.outages.answered(route.target.clientKey);
    if (socket.destroyed) return lease.release();
    // Shutdown began while it was in admission: no upstream connection is opened any more.
    if (!deps.tunnels.track(socket)) {
      lease.release();
      return writeSocketProblem(socket, SHUTTING_DOWN, claimed.path, requestId);
    }
    openTunnel(socket, head, {
      lease,
      path: joinPathAndQuery(context.path, context.query, claimed.emptyQuery),
      headers: context.headers,
      client: req.headers,
      own: { 'x-request-id': requestId, ...admitted.rateHeaders },
      responseRules: route.responseHeaders,
      requestId,
      instance: claimed.path,
      timeout: route.timeout ?? HANDSHAKE_DEADLINE,
      maxHeaderSize: deps.maxHeaderSize,
    });
  } catch (error) {
    lease?.release(); // what openTunnel throws (a hook-made path or header node:http refuses) comes before any tunnel
    deps.outages.routeFailed(route, error);
    writeSocketProblem(socket, failureProblem(error), claimed.path, requestId);
  }
}
