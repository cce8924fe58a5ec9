import type { ServiceResponse } from '@nestmesh/client';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { releaseBody, runResponseHook } from '../hooks/run-transformation-hook.js';
import type { GatewayRequestContext } from '../interfaces/gateway-hooks.interface.js';
import { endWhenClientGoes } from '../proxy/client-departure.js';
import { countedSizeError, declaredSizeError, isBodilessStatus } from '../proxy/response-size.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import type { GatewayProxyDeps } from './gateway-proxy-deps.interface.js';
import { ForwardedExchange, forwardedRequest } from './request-body.js';
import { responseContext } from './request-context.js';
import { returnedResponseHeaders } from './returned-response-headers.js';

/** An upstream's answer, its body not yet read. @internal */
export type UpstreamAnswer = Pick<ServiceResponse, 'status' | 'headers' | 'body'>;

/**
 * Forwards an admitted request to `path` for an answer to read as a stream (a response hook or the cache needs
 * it). Rejects with the client's body failure when there was one, whatever that did upstream. @internal
 */
export async function fetchAnswer(
  deps: Pick<GatewayProxyDeps, 'clients' | 'outages' | 'bodyTimeout'>,
  req: IncomingMessage,
  res: ServerResponse,
  route: CompiledRoute,
  context: GatewayRequestContext,
  path: string,
  withBody: boolean,
): Promise<UpstreamAnswer> {
  const exchange = new ForwardedExchange();
  const request = forwardedRequest(req, res, route, context, path, withBody, deps.bodyTimeout, exchange);
  try {
    const answer = await deps.clients!.get(route.target.clientKey).request(request);
    deps.outages.answered(route.target.clientKey);
    return answer;
  } catch (error) {
    throw exchange.bodyError ?? error;
  }
}

/**
 * Sends an upstream answer back through the route's response hook, if any: headers as {@link returnedResponseHeaders}
 * makes them with `own` last, the body streamed within `maxResponseSize` (declared or counted). @internal
 */
export async function sendAnswer(res: ServerResponse, route: CompiledRoute, request: GatewayRequestContext, answer: UpstreamAnswer, own: Record<string, string | number>): Promise<void> {
  const headers = returnedResponseHeaders(answer.headers, route.responseHeaders);
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const tooLarge = declaredSizeError(answer.status, length, route.maxResponseSize, request.method);
  if (tooLarge) {
    releaseBody(answer.body);
    throw tooLarge;
  }
  let body: Readable | string | Buffer = answer.body;
  let status = answer.status;
  if (route.onResponse) {
    const context = responseContext(request, status, headers, answer.body);
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
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) releaseBody(body);
    delete headers['content-length'];
    body = '';
  }
  for (const name of Object.keys(own)) headers[name] = String(own[name]);
  res.writeHead(status, headers);
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    res.end(body);
    return;
  }
  // Plain pipe (cheaper than stream.pipeline, which builds errors and an AbortController per call). A body
  // the upstream sent with a Content-Length (checked against the limit above) needs no count: undici fails a body longer than it.
  if (length === undefined || body !== answer.body) {
    const streamed = body;
    let seen = 0;
    streamed.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      const over = countedSizeError(seen, route.maxResponseSize);
      if (over) streamed.destroy(over);
    });
  }
  body.once('error', () => res.destroy()); // headers are out: cutting the connection says the body is incomplete
  endWhenClientGoes(res, undefined, body);
  body.pipe(res);
}
