import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { answerAggregate } from '../aggregate/aggregate-route.js';
import { joinPathAndQuery } from '../edge/path-and-query.js';
import { requestIdOf } from '../edge/request-id.js';
import { runRequestHook } from '../hooks/run-transformation-hook.js';
import { sendProblem } from '../proxy/problem-details.js';
import type { GatewayRequestContext } from '../interfaces/gateway-hooks.interface.js';
import type { RouteMatch } from '../routing/route-table.js';
import { Admission, type Admitted } from './admission.js';
import { failureProblem } from './failure-problem.js';
import type { GatewayProxyDeps } from './gateway-proxy-deps.interface.js';
import { relayAnswer } from './relayed-answer.js';
import { claimRequest, type ClaimedRequest } from './request-claim.js';
import { requestHasBody } from './request-body.js';
import { requestContext } from './request-context.js';
import { fetchAnswer, sendAnswer } from './streamed-answer.js';
import { handleUpgrade } from './upgrade-handler.js';

const DONE: Promise<void> = Promise.resolve();

/**
 * The gateway's request handling on Node's own request and response (under Express or Fastify), one step per
 * file: the claim ({@link claimRequest}), the one {@link Admission} of requests and upgrades, then the answer:
 * relayed ({@link relayAnswer}), streamed through hooks or the cache ({@link sendAnswer}), aggregated
 * ({@link answerAggregate}) or tunnelled ({@link handleUpgrade}); failures as problem+json. @internal
 */
export class GatewayProxy {
  private readonly admission: Admission;

  constructor(private readonly deps: GatewayProxyDeps) {
    this.admission = new Admission(deps);
  }

  /** Decides synchronously whether the gateway answers `req` (see {@link claimRequest}). */
  claim(req: IncomingMessage): ClaimedRequest | undefined {
    return claimRequest(req, this.deps.table, this.deps.maxHeaderSize);
  }

  /** Answers a claimed request; never throws (failures become problem+json answers). */
  handle(req: IncomingMessage, res: ServerResponse, claimed: ClaimedRequest): Promise<void> {
    const requestId = requestIdOf(req.headers, this.deps.trustRequestId);
    const match = claimed.match;
    if (claimed.refusal || !match) {
      sendProblem(res, claimed.refusal!, undefined, requestId);
      return DONE;
    }
    // A handler rather than an async frame: the plain path's one promise is the relayed answer's.
    const failed = (error: unknown): void => {
      this.deps.outages.routeFailed(match.route, error);
      sendProblem(res, failureProblem(error), claimed.path, requestId);
    };
    try {
      return this.forward(req, res, match, claimed, requestId).catch(failed);
    } catch (error) {
      failed(error);
      return DONE;
    }
  }

  /** A claimed WebSocket upgrade (see {@link handleUpgrade}); never throws. */
  tunnel(req: IncomingMessage, socket: Duplex, head: Buffer, claimed: ClaimedRequest): Promise<void> {
    return handleUpgrade(this.deps, this.admission, req, socket, head, claimed);
  }

  /**
   * Admits and forwards a claimed request. A plain relayed one (no hook, no cache, admitted synchronously) makes
   * no promise but the relayed answer's.
   */
  private forward(req: IncomingMessage, res: ServerResponse, match: RouteMatch, claimed: ClaimedRequest, requestId: string): Promise<void> {
    if (match.route.target.kind === 'aggregate') return answerAggregate(this.deps, this.admission, req, res, match, claimed, requestId);
    const admitting = this.admission.admit(req, match.route, requestId);
    if (admitting instanceof Promise) return admitting.then((admitted) => this.admitted(req, res, match, claimed, requestId, admitted));
    return this.admitted(req, res, match, claimed, requestId, admitting);
  }

  private admitted(req: IncomingMessage, res: ServerResponse, match: RouteMatch, claimed: ClaimedRequest, requestId: string, admitted: Admitted): Promise<void> {
    const { route } = match;
    if (admitted.refused) {
      sendProblem(res, admitted.refused, claimed.path, requestId);
      return DONE;
    }
    const hasBody = requestHasBody(req, route.maxBodySize);
    const context = requestContext(req, match, claimed, admitted, requestId, this.deps.get);
    const own = { 'x-request-id': requestId, ...admitted.rateHeaders };
    if (route.onRequest || route.onResponse || (route.cache && this.deps.cache)) return this.transformed(req, res, route, claimed, context, hasBody, own);
    return relayAnswer(this.deps, req, res, route, context, joinPathAndQuery(context.path, context.query, claimed.emptyQuery), hasBody, own);
  }

  /** A route with a request hook, a response hook or the cache. */
  private async transformed(
    req: IncomingMessage,
    res: ServerResponse,
    route: RouteMatch['route'],
    claimed: ClaimedRequest,
    context: GatewayRequestContext,
    hasBody: boolean,
    own: Record<string, string | number>,
  ): Promise<void> {
    const { method } = context;
    const deps = this.deps;
    if (route.onRequest) await runRequestHook(route, context);
    // After the hook, which may change the path and query.
    const path = joinPathAndQuery(context.path, context.query, claimed.emptyQuery);
    if (route.cache && deps.cache && (method === 'GET' || method === 'HEAD') && !hasBody) {
      return deps.cache.handle({
        route,
        method,
        identity: context.identity,
        requestHeaders: req.headers,
        upstreamHeaders: context.headers,
        upstreamPath: path,
        fetch: () => fetchAnswer(deps, req, res, route, context, path, false),
        respond: (answer, cacheStatus) => sendAnswer(res, route, context, answer, { ...own, 'x-cache': cacheStatus }),
      });
    }
    if (!route.onResponse) return relayAnswer(deps, req, res, route, context, path, hasBody, own);
    return sendAnswer(res, route, context, await fetchAnswer(deps, req, res, route, context, path, hasBody), own);
  }
}
