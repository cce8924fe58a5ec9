import type { ThrottlerStorage } from '@nestjs/throttler';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { AbortTarget } from '@nestmesh/client';
import type { Authenticator } from '../auth/authenticator.js';
import type { FailedAuthenticationLimiter } from '../auth/failed-authentication.limiter.js';
import { assertUnambiguousFraming } from '../edge/message-framing.js';
import { endsInBareQuery, joinPathAndQuery } from '../edge/path-and-query.js';
import { requestIdOf } from '../edge/request-id.js';
import { normalizeRequestTarget } from '../edge/request-target.js';
import type { TrustedProxies } from '../edge/trusted-proxies.js';
import { isAccessDeniedError } from '../errors/access-denied.error.js';
import { isAmbiguousFramingError } from '../errors/ambiguous-framing.error.js';
import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { isBadRequestTargetError } from '../errors/bad-request-target.error.js';
import { isKeySetUnavailableError } from '../errors/key-set-unavailable.error.js';
import { isTooManyAuthenticationFailuresError } from '../errors/too-many-authentication-failures.error.js';
import { isTransformationHookError } from '../errors/transformation-hook.error.js';
import { releaseBody, runRequestHook, runResponseHook } from '../hooks/run-transformation-hook.js';
import type { GatewayRequestContext, GatewayResponseContext } from '../interfaces/gateway-hooks.interface.js';
import { BodyTimeoutError, BodyTooLargeError, ByteLimit } from '../proxy/byte-limit.js';
import { isBodilessStatus, withoutContentLength } from '../proxy/bodiless-answer.js';
import { sendProblem, type ProblemDetails } from '../proxy/problem-details.js';
import { ResponseTooLargeError, upstreamFailure } from '../proxy/upstream-failure.js';
import type { UpstreamAnswer, Upstreams } from '../proxy/upstreams.js';
import type { ServiceOutages } from '../proxy/service-outages.js';
import { ResponseSink } from '../proxy/response-sink.js';
import { writeSocketProblem } from '../proxy/socket-answer.js';
import { checkUpgradeRequest, NOT_A_WEBSOCKET_ROUTE } from '../proxy/websocket-handshake.js';
import { HANDSHAKE_DEADLINE, openTunnel } from '../proxy/websocket-tunnel.js';
import type { Duplex } from 'node:stream';
import type { RouteMatch, RouteTable } from '../routing/route-table.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { Admission, type Admitted } from './admission.js';
import { relayedResponseHeaders, returnedResponseHeaders } from './forwarded-request-headers.js';

/** Everything one gateway needs to handle requests. @internal */
export interface GatewayProxyDeps {
  readonly table: RouteTable;
  readonly authenticator: Authenticator;
  /** Authentication under `auth.failureLimit` (a pass-through when it is off). */
  readonly failedAuthentication: FailedAuthenticationLimiter;
  readonly realm: string;
  readonly storage: ThrottlerStorage | undefined;
  readonly upstreams: Upstreams;
  /** Logs a route's service without instances once per outage. */
  readonly outages?: ServiceOutages;
  readonly cache: ResponseCache | undefined;
  readonly trustedProxies: TrustedProxies;
  readonly extraIdentityHeaders: readonly string[];
  readonly trustRequestId: boolean;
  readonly maxHeaderSize: number;
  readonly bodyTimeout: number;
  readonly get: GatewayRequestContext['get'];
}

/** A request the gateway takes, ready to handle. @internal */
export interface ClaimedRequest {
  readonly match?: RouteMatch;
  readonly refusal?: ProblemDetails;
  readonly encodedSegments?: readonly string[];
  readonly query?: string;
  /** The target ended in a bare `?` (forwarded as is). */
  readonly emptyQuery?: boolean;
  readonly path?: string;
}

/**
 * The gateway's request handling, on Node's own request and response (under Express or Fastify): the edge
 * (framing, header size, target normalisation) before matching; then, for a matched route, authentication,
 * authorization, throttling, the cache, and a streamed forward with hygiene in both directions. @internal
 */
export class GatewayProxy {
  private readonly admission: Admission;

  constructor(private readonly deps: GatewayProxyDeps) {
    this.admission = new Admission(deps);
  }

  /**
   * Decides synchronously whether the gateway answers this request: a refusal of the edge, or a route.
   * `undefined` leaves it to the app's own controllers.
   */
  claim(req: IncomingMessage): ClaimedRequest | undefined {
    try {
      assertUnambiguousFraming(req.rawHeaders);
    } catch (error) {
      if (isAmbiguousFramingError(error)) return { refusal: { status: 400, detail: 'The request body framing is ambiguous.', close: true } };
      throw error;
    }
    let size = 0;
    for (const item of req.rawHeaders) size += item.length + 2;
    if (size > this.deps.maxHeaderSize) return { refusal: { status: 431, detail: `The request headers exceed ${this.deps.maxHeaderSize} bytes.`, close: true } };
    let target;
    const url = req.url ?? '';
    try {
      target = normalizeRequestTarget(url);
    } catch (error) {
      if (isBadRequestTargetError(error)) return { refusal: { status: 400, detail: `The request target is ambiguous (${error.reason}).` } };
      throw error;
    }
    const segments = target.path.split('/').slice(1);
    const match = this.deps.table.match(req.method ?? 'GET', segments, req.headers);
    if (!match) return undefined;
    return { match, encodedSegments: target.encodedPath.split('/').slice(1), query: target.query, emptyQuery: endsInBareQuery(url, target.query), path: target.path };
  }

  /** Answers a claimed request; never throws (failures become problem+json answers). */
  async handle(req: IncomingMessage, res: ServerResponse, claimed: ClaimedRequest): Promise<void> {
    const requestId = requestIdOf(req.headers, this.deps.trustRequestId);
    if (claimed.refusal || !claimed.match) {
      sendProblem(res, claimed.refusal!, undefined, requestId);
      return;
    }
    const instance = claimed.path;
    try {
      await this.forward(req, res, claimed.match, claimed, requestId);
    } catch (error) {
      this.deps.outages?.failed(claimed.match.route, error);
      sendProblem(res, this.problemOf(error), instance, requestId);
    }
  }

  /**
   * A WebSocket upgrade: refused (problem+json on the socket, no upstream connection) unless its route opted in
   * with `websocket: true` and it is a valid opening handshake; then the same admission as any request
   * (authentication, authorization, throttling, request headers) and the route's request hook; then a tunnel
   * that opens only once the upstream answered a `101` that proves the handshake (see {@link openTunnel}).
   */
  async tunnel(req: IncomingMessage, socket: Duplex, head: Buffer, claimed: ClaimedRequest): Promise<void> {
    socket.on('error', () => socket.destroy());
    const requestId = requestIdOf(req.headers, this.deps.trustRequestId);
    if (claimed.refusal || !claimed.match) return writeSocketProblem(socket, claimed.refusal ?? { status: 404, detail: 'No route matches this request.' }, undefined, requestId);
    const { route } = claimed.match;
    const refusal = route.websocket ? checkUpgradeRequest(req.method, req.headers) : NOT_A_WEBSOCKET_ROUTE;
    if (refusal) return writeSocketProblem(socket, refusal, claimed.path, requestId);
    try {
      const admitted = await this.admission.admit(req, route, requestId);
      if (admitted.refused) return writeSocketProblem(socket, admitted.refused, claimed.path, requestId);
      const context = this.requestContext(req, claimed.match, claimed, admitted, requestId);
      if (route.onRequest) await runRequestHook(route, context);
      const target = await this.deps.upstreams.tunnelTarget(route.target);
      if (!target) return writeSocketProblem(socket, { status: 503, detail: 'No instance of the upstream service is available.', headers: { 'retry-after': 5 } }, claimed.path, requestId);
      if (socket.destroyed) return target.lease?.release();
      openTunnel(socket, head, {
        target,
        path: joinPathAndQuery(context.path, context.query, claimed.emptyQuery),
        headers: context.headers,
        client: req.headers,
        own: { 'x-request-id': requestId, ...admitted.rateHeaders },
        responseRules: route.responseHeaders,
        requestId,
        instance: claimed.path,
        timeout: route.timeout ?? HANDSHAKE_DEADLINE,
        maxHeaderSize: this.deps.maxHeaderSize,
      });
    } catch (error) {
      writeSocketProblem(socket, this.problemOf(error), claimed.path, requestId);
    }
  }

  /** What a route's request hook sees and may change, from an admitted request. */
  private requestContext(req: IncomingMessage, match: RouteMatch, claimed: ClaimedRequest, admitted: Admitted, requestId: string): GatewayRequestContext {
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
      get: this.deps.get,
    };
  }

  private problemOf(error: unknown): ProblemDetails {
    if (isAuthenticationFailedError(error)) return { status: 401, detail: error.description, headers: { 'www-authenticate': error.challenge } };
    if (isTooManyAuthenticationFailuresError(error)) return { status: 429, detail: error.description, headers: { 'retry-after': error.retryAfter } };
    if (isAccessDeniedError(error)) return { status: 403, detail: 'The credential lacks the access this request needs.', headers: error.challenge ? { 'www-authenticate': error.challenge } : undefined };
    if (isKeySetUnavailableError(error)) return { status: 503, detail: 'Credentials cannot be checked right now.', headers: { 'retry-after': 5 } };
    if (error instanceof BodyTooLargeError) return { status: 413, detail: error.message, close: true };
    if (isTransformationHookError(error)) return { status: 500, detail: 'The gateway failed to transform this request or its answer.' };
    if (error instanceof BodyTimeoutError) return { status: 408, detail: 'The request body was not sent in time.', close: true };
    return upstreamFailure(error);
  }

  private async forward(req: IncomingMessage, res: ServerResponse, match: RouteMatch, claimed: ClaimedRequest, requestId: string): Promise<void> {
    const { route } = match;
    const method = req.method ?? 'GET';
    const deps = this.deps;
    // admit() answers synchronously on a public route without credentials or throttlers: no promise to await then.
    const admitting = this.admission.admit(req, route, requestId);
    const admitted = admitting instanceof Promise ? await admitting : admitting;
    if (admitted.refused) {
      sendProblem(res, admitted.refused, claimed.path, requestId);
      return;
    }

    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    const hasBody = declared !== undefined ? declared > 0 : req.headers['transfer-encoding'] !== undefined;
    if (declared !== undefined && declared > route.maxBodySize) throw new BodyTooLargeError(`The request body is larger than ${route.maxBodySize} bytes.`);

    const context = this.requestContext(req, match, claimed, admitted, requestId);
    if (route.onRequest) await runRequestHook(route, context);

    const identity = admitted.identity;
    const own = { 'x-request-id': requestId, ...admitted.rateHeaders };
    if (route.cache && deps.cache && (method === 'GET' || method === 'HEAD') && !hasBody) {
      await deps.cache.handle({
        route,
        method,
        identity,
        requestHeaders: req.headers,
        upstreamHeaders: context.headers,
        upstreamPath: joinPathAndQuery(context.path, context.query, claimed.emptyQuery),
        fetch: () => this.call(req, res, route, context, false, claimed.emptyQuery),
        respond: (answer, cacheStatus) => this.respond(res, route, context, answer, { ...own, 'x-cache': cacheStatus }),
      });
      return;
    }
    if (!route.onResponse) {
      await this.relay(req, res, route, context, hasBody, own, claimed.emptyQuery);
      return;
    }
    const answer = await this.call(req, res, route, context, hasBody, claimed.emptyQuery);
    await this.respond(res, route, context, answer, own);
  }

  /**
   * Forwards with the answer relayed straight into `res` (a {@link ResponseSink}): the route's path when nothing
   * needs the answer as a stream (no response hook, no cache).
   */
  private async relay(
    req: IncomingMessage,
    res: ServerResponse,
    route: RouteMatch['route'],
    context: GatewayRequestContext,
    withBody: boolean,
    own: Record<string, string | number>,
    emptyQuery: boolean | undefined,
  ): Promise<void> {
    const sink = new ResponseSink(
      res,
      (status, raw) => {
        const { headers, length } = relayedResponseHeaders(raw, route.responseHeaders, own);
        if (isBodilessStatus(status)) return length === undefined ? headers : withoutContentLength(headers);
        if (length !== undefined && length > route.maxResponseSize) throw new ResponseTooLargeError(`content-length ${length}`);
        return headers;
      },
      route.maxResponseSize,
    );
    let bodyError: Error | undefined;
    const body = withBody
      ? this.streamedBody(req, res, route, (error) => {
          bodyError = error;
          sink.cancel(error);
        })
      : undefined;
    res.on('close', () => {
      if (res.writableFinished) return;
      const gone = new Error('the client went away');
      sink.cancel(gone);
      body?.destroy(gone);
    });
    const path = joinPathAndQuery(context.path, context.query, emptyQuery);
    try {
      await this.deps.upstreams.relay(route.target, { method: context.method, path, headers: context.headers, body, signal: sink.cancelled.undiciSignal, timeout: route.timeout }, sink);
      await sink.done;
    } catch (error) {
      throw bodyError ?? error;
    }
  }

  /**
   * The client's body on its way upstream through the route's byte limit and the body timeout; `onError` hears
   * of a limit or timeout. An answer sent before the whole body arrived leaves the rest unread, so the
   * connection is closed after it.
   */
  private streamedBody(req: IncomingMessage, res: ServerResponse, route: RouteMatch['route'], onError: (error: Error) => void): ByteLimit {
    const body = new ByteLimit(route.maxBodySize, () => new BodyTooLargeError(`The request body is larger than ${route.maxBodySize} bytes.`), this.deps.bodyTimeout);
    req.pipe(body);
    body.once('error', (error) => {
      req.unpipe(body);
      onError(error);
    });
    res.once('finish', () => {
      if (!req.complete) req.socket.destroy();
    });
    return body;
  }

  /** An upstream answer's headers as sent back (hop-by-hop ones dropped, the route's rules applied), checked against the response size limit. */
  private answerHeaders(route: RouteMatch['route'], status: number, upstream: UpstreamAnswer['headers']): { headers: Record<string, string | string[]>; length: number | undefined } {
    const headers = returnedResponseHeaders(upstream, route.responseHeaders);
    const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    if (length !== undefined && length > route.maxResponseSize && !isBodilessStatus(status)) throw new ResponseTooLargeError(`content-length ${length}`);
    return { headers, length };
  }

  /** Forwards the request; the body streams through a byte limit. @internal */
  async call(req: IncomingMessage, res: ServerResponse, route: RouteMatch['route'], context: GatewayRequestContext, withBody: boolean, emptyQuery?: boolean): Promise<UpstreamAnswer> {
    // Only what can be cancelled needs the client's departure: a streamed body, or a static target's request.
    const controller = route.target.kind === 'url' ? new AbortTarget() : undefined;
    let body: ByteLimit | undefined;
    let bodyError: Error | undefined;
    if (withBody) {
      body = this.streamedBody(req, res, route, (error) => {
        bodyError = error;
        controller?.abort(error);
      });
    }
    if (body || controller) {
      res.once('close', () => {
        if (res.writableFinished) return;
        const gone = new Error('the client went away');
        controller?.abort(gone);
        body?.destroy(gone);
      });
    }
    const path = joinPathAndQuery(context.path, context.query, emptyQuery);
    try {
      return await this.deps.upstreams.send(route.target, { method: context.method, path, headers: context.headers, body, signal: controller?.undiciSignal, timeout: route.timeout });
    } catch (error) {
      throw bodyError ?? error;
    }
  }

  /** Sends an upstream answer back, streaming its body through the response size limit. @internal */
  async respond(res: ServerResponse, route: RouteMatch['route'], request: GatewayRequestContext, answer: UpstreamAnswer, own: Record<string, string | number>): Promise<void> {
    let checked;
    try {
      checked = this.answerHeaders(route, answer.status, answer.headers);
    } catch (error) {
      releaseBody(answer.body);
      throw error;
    }
    const { headers, length } = checked;
    let body: Readable | string | Buffer = answer.body;
    let status = answer.status;
    if (route.onResponse) {
      const context: GatewayResponseContext = {
        routeId: request.routeId,
        method: request.method,
        params: request.params,
        identity: request.identity,
        client: request.client,
        requestId: request.requestId,
        get: request.get,
        request: { path: request.path, query: request.query, headers: request.headers },
        status,
        headers,
        body,
      };
      await runResponseHook(route, context, answer.body);
      status = context.status;
      body = context.body;
      if (body !== answer.body) {
        if (typeof body === 'string' || Buffer.isBuffer(body)) context.headers['content-length'] = String(Buffer.byteLength(body));
        else delete context.headers['content-length'];
        releaseBody(answer.body);
      }
    }
    if (isBodilessStatus(status)) {
      // Nothing after the headers is a body: a Content-Length or bytes the upstream sent anyway are dropped.
      if (body === answer.body || (typeof body !== 'string' && !Buffer.isBuffer(body))) releaseBody(body as Readable);
      delete headers['content-length'];
      res.writeHead(status, withOwnHeaders(headers, own));
      res.end();
      return;
    }
    res.writeHead(status, withOwnHeaders(headers, own));
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      res.end(body);
      return;
    }
    // Plain pipe (cheaper than stream.pipeline, which builds errors and an AbortController per call). A body
    // the upstream sent with a Content-Length (checked against the limit above) needs no count: undici fails a body longer than it.
    const max = route.maxResponseSize;
    if (length === undefined || body !== answer.body) {
      let seen = 0;
      body.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > max) (body as Readable).destroy(new ResponseTooLargeError('response body over the limit'));
      });
    }
    body.once('error', () => res.destroy()); // headers are out: cutting the connection says the body is incomplete
    res.once('close', () => {
      if (!res.writableFinished) (body as Readable).destroy();
    });
    body.pipe(res);
  }
}

/** `headers` with the gateway's own (`X-Request-Id`, rate-limit headers...) set over the upstream's. */
function withOwnHeaders(headers: Record<string, string | string[]>, own: Record<string, string | number>): Record<string, string | string[]> {
  for (const name of Object.keys(own)) headers[name] = String(own[name]);
  return headers;
}
