import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Admission } from '../pipeline/admission.js';
import type { GatewayProxyDeps } from '../pipeline/gateway-proxy-deps.interface.js';
import { returnedResponseHeaders } from '../pipeline/returned-response-headers.js';
import type { ClaimedRequest } from '../pipeline/request-claim.js';
import type { UpstreamAnswer } from '../pipeline/streamed-answer.js';
import { requestHasBody } from '../pipeline/request-body.js';
import { BodyTooLargeError } from '../proxy/byte-limit.js';
import { TimedOutAnswer } from '../cache/response-cache.js';
import { endWhenClientGoes } from '../proxy/client-departure.js';
import { sendProblem } from '../proxy/problem-details.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import type { RouteMatch } from '../routing/route-table.js';
import { aggregatedAnswer } from './aggregated-answer.js';
import { callLeg } from './leg-call.js';
import { legRequestHeaders } from './leg-request-headers.js';

/** The methods an aggregation route answers (`Allow` of its 405). */
const ALLOWED = 'GET, HEAD';

/** Writes an aggregated answer (or a cached one): the route's `responseHeaders` rules, then the gateway's own headers. */
async function sendAggregated(res: ServerResponse, route: CompiledRoute, method: string, answer: UpstreamAnswer, own: Record<string, string | number>): Promise<void> {
  const body = await buffer(answer.body);
  const headers = returnedResponseHeaders(answer.headers, route.responseHeaders);
  for (const name of Object.keys(own)) headers[name] = String(own[name]);
  headers['content-length'] = String(body.length);
  if (res.destroyed) return;
  res.writeHead(answer.status, headers);
  res.end(method === 'HEAD' ? undefined : body);
}

/**
 * Answers a request of an aggregation route: GET and HEAD only (405 with `Allow` before anything else), the same
 * admission as any route (a refusal calls no leg), no request body (413), then every leg in parallel
 * ({@link callLeg}), merged by {@link aggregatedAnswer}. Through the response cache when the route opts in, keyed
 * with the request's path (its query reaches no leg); a partial answer is never stored. A client that goes away
 * cancels the legs under way. Throws what admission throws. @internal
 */
export async function answerAggregate(deps: GatewayProxyDeps, admission: Admission, req: IncomingMessage, res: ServerResponse, match: RouteMatch, claimed: ClaimedRequest, requestId: string): Promise<void> {
  const { route } = match;
  if (route.target.kind !== 'aggregate') throw new TypeError(`route ${route.id} is not an aggregation route`);
  const { legs } = route.target;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    const detail = `This aggregation route answers ${ALLOWED}, not ${method}.`;
    return sendProblem(res, { status: 405, detail, headers: { allow: ALLOWED } }, claimed.path, requestId);
  }
  const admitted = await admission.admit(req, route, requestId);
  if (admitted.refused) return sendProblem(res, admitted.refused, claimed.path, requestId);
  if (requestHasBody(req, Number.MAX_SAFE_INTEGER)) throw new BodyTooLargeError('An aggregation route takes no request body.');
  const departure = new AbortController();
  const context = { clients: deps.clients, outages: deps.outages, routeId: route.id, headers: legRequestHeaders(admitted.headers), maxBytes: route.maxResponseSize, cancel: departure.signal };
  endWhenClientGoes(res, departure, undefined);
  const own = { 'x-request-id': requestId, ...admitted.rateHeaders };
  const fetch = async (): Promise<UpstreamAnswer> => {
    const outcomes = await Promise.all(legs.map((leg) => callLeg(context, leg)));
    const answer = aggregatedAnswer(outcomes, claimed.path, requestId);
    // Every leg ran out of time: thrown, so that concurrent misses waiting on this one get it too.
    if (answer.status === 504) throw new TimedOutAnswer(answer.status, answer.headers, answer.body);
    return { status: answer.status, headers: answer.headers, body: Readable.from([answer.body]) as UpstreamAnswer['body'] };
  };
  const cached = route.cache !== undefined && deps.cache !== undefined;
  const respond = (answer: UpstreamAnswer, cacheStatus?: string) => sendAggregated(res, route, method, answer, cacheStatus ? { ...own, 'x-cache': cacheStatus } : own);
  try {
    if (!cached) return await respond(await fetch());
    return await deps.cache!.handle({
      route,
      method,
      identity: admitted.identity,
      requestHeaders: req.headers,
      upstreamHeaders: context.headers,
      upstreamPath: claimed.path ?? '/',
      fetch,
      respond,
    });
  } catch (error) {
    if (!(error instanceof TimedOutAnswer)) throw error;
    await respond({ status: error.status, headers: error.headers, body: Readable.from([error.body]) as UpstreamAnswer['body'] }, cached ? 'MISS' : undefined);
  }
}
