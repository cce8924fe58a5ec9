import type { ServiceRequest } from '@nestmesh/client';
import { AbortTarget } from '@nestmesh/client/relay';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRequestContext } from '../interfaces/gateway-hooks.interface.js';
import { BodyTooLargeError, ByteLimit } from '../proxy/byte-limit.js';
import { endWhenClientGoes } from '../proxy/client-departure.js';
import type { CompiledRoute } from '../routing/compiled-route.js';

const tooLarge = (maxBodySize: number) => new BodyTooLargeError(`The request body is larger than ${maxBodySize} bytes.`);

/**
 * Whether `req` has a body to forward (a `Content-Length` above 0, or a `Transfer-Encoding`). A declared length
 * over `maxBodySize` throws a `BodyTooLargeError` (413) before anything is read or forwarded. @internal
 */
export function requestHasBody(req: IncomingMessage, maxBodySize: number): boolean {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > maxBodySize) throw tooLarge(maxBodySize);
  return declared !== undefined ? declared > 0 : req.headers['transfer-encoding'] !== undefined;
}

/** A forwarded request's upstream exchange (undici's signal), aborted if the client or its body fails. @internal */
export class ForwardedExchange extends AbortTarget {
  /** Set when the client's body failed (a limit, a timeout): the request's failure, whatever that did upstream. */
  bodyError: Error | undefined;
}

/**
 * The admitted request as sent upstream to `path` through `exchange`, its body (when `withBody`) streamed within
 * the route's `maxBodySize` and `bodyTimeout` (ms of silence). An answer sent before the whole body arrived leaves
 * the rest unread, so the connection is closed after it. @internal
 */
export function forwardedRequest(
  req: IncomingMessage,
  res: ServerResponse,
  route: CompiledRoute,
  context: GatewayRequestContext,
  path: string,
  withBody: boolean,
  bodyTimeout: number,
  exchange: ForwardedExchange,
): ServiceRequest {
  const body = withBody ? new ByteLimit(route.maxBodySize, () => tooLarge(route.maxBodySize), bodyTimeout) : undefined;
  if (body) {
    req.pipe(body);
    body.once('error', (error) => {
      req.unpipe(body);
      exchange.bodyError = error;
      exchange.abort(error);
    });
    res.once('finish', () => {
      if (!req.complete) req.socket.destroy();
    });
  }
  endWhenClientGoes(res, exchange, body);
  const { method, headers } = context;
  return { method, path, headers, body, signal: exchange.undiciSignal, timeout: route.timeout };
}
