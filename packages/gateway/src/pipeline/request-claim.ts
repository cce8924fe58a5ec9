import type { IncomingMessage } from 'node:http';
import { assertUnambiguousFraming } from '../edge/message-framing.js';
import { endsInBareQuery } from '../edge/path-and-query.js';
import { isPlainAuthority, normalizeRequestTarget } from '../edge/request-target.js';
import { isAmbiguousFramingError } from '../errors/ambiguous-framing.error.js';
import { isBadRequestTargetError } from '../errors/bad-request-target.error.js';
import type { ProblemDetails } from '../proxy/problem-details.js';
import type { RouteMatch, RouteTable } from '../routing/route-table.js';

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
 * Decides synchronously whether the gateway answers `req`: the edge's refusal (ambiguous framing, headers over
 * `maxHeaderSize`, a bad target), whatever the path, else the route; `undefined` leaves it to the app. @internal
 */
export function claimRequest(req: IncomingMessage, table: RouteTable, maxHeaderSize: number): ClaimedRequest | undefined {
  try {
    assertUnambiguousFraming(req.rawHeaders);
  } catch (error) {
    if (!isAmbiguousFramingError(error)) throw error;
    const detail = error.reason === 'repeated-header' ? 'Send one Host header and one Authorization header at most.' : 'The request body framing is ambiguous.';
    return { refusal: { status: 400, detail, close: true } };
  }
  let size = 0;
  for (const item of req.rawHeaders) size += item.length + 2;
  if (size > maxHeaderSize) return { refusal: { status: 431, detail: `The request headers exceed ${maxHeaderSize} bytes.`, close: true } };
  let target;
  const url = req.url ?? '';
  try {
    target = normalizeRequestTarget(url);
  } catch (error) {
    if (isBadRequestTargetError(error)) return { refusal: { status: 400, detail: `The request target is ambiguous (${error.reason}).` } };
    throw error;
  }
  // RFC 9112 §3.2: a Host that is no host[:port] (userinfo, a path, a port out of range) gets a 400.
  const host = req.headers.host;
  if (target.authority === undefined && host !== undefined && host !== '' && !isPlainAuthority(host)) return { refusal: { status: 400, detail: 'The Host header is not a valid host[:port].' } };
  const segments = target.path.split('/').slice(1);
  // An absolute-form target's own authority is its host, Host ignored (RFC 9112 §3.2.2), as a proxy in front reads it.
  const headers = target.authority === undefined ? req.headers : { ...req.headers, host: target.authority };
  const match = table.match(req.method ?? 'GET', segments, headers);
  if (!match) return undefined;
  // What the route claims sees that host everywhere: X-Forwarded-Host, the cache key, hooks.
  if (headers !== req.headers) req.headers.host = target.authority;
  return { match, encodedSegments: target.encodedPath.split('/').slice(1), query: target.query, emptyQuery: endsInBareQuery(url, target.query), path: target.path };
}
