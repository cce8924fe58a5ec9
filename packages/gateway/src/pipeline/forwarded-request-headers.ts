import type { IncomingHttpHeaders } from 'node:http';
import type { VerifiedIdentity } from '../auth/verified-identity.interface.js';
import { FORWARDING_HEADERS } from '../edge/forwarded-headers.js';
import { dashed, headerValues } from '../edge/header-map.js';
import { connectionNamedHeaders, isHopByHopHeader } from '../edge/hop-by-hop-headers.js';
import { hasIdentityPrefix, identityHeaderNames, identityHeaders } from '../edge/identity-headers.js';
import { REQUEST_ID_HEADER, validTraceparent } from '../edge/request-id.js';
import type { GatewayHeaderRules } from '../interfaces/gateway-route.interface.js';
import { applyHeaderRules } from './header-rules.js';

/**
 * Headers never copied from a client onto the upstream request (the gateway sets its own, or none), overrides of
 * the method or path some frameworks honour among them: the route's rules were checked for the real ones.
 */
const OVERRIDES = ['x-http-method-override', 'x-http-method', 'x-method-override', 'x-original-url', 'x-rewrite-url'];
const REPLACED = new Set([...FORWARDING_HEADERS, ...OVERRIDES, 'host', 'expect', REQUEST_ID_HEADER, 'traceparent', 'tracestate']);

/** What the gateway itself adds to a forwarded request. @internal */
export interface ForwardedRequestFacts {
  readonly forwarded: Record<string, string>;
  readonly identity: VerifiedIdentity | undefined;
  readonly requestId: string;
  readonly extraIdentityHeaders: readonly string[];
  readonly rules: GatewayHeaderRules | undefined;
  /** Credential headers the gateway could verify but did not for this request (never forwarded). */
  readonly unverified: readonly string[];
}

/**
 * The headers sent upstream: hop-by-hop headers, those `Connection` names and credentials not verified dropped
 * first, then every identity and forwarding header (the whole `X-Forwarded-*` family) a client sent, spelt with `-`
 * or `_`, then the gateway's own (`X-Forwarded-*`, identity from verified
 * claims, `X-Request-Id`, a valid `traceparent` with its `tracestate`), then the route's rules. @internal
 */
export function forwardedRequestHeaders(incoming: IncomingHttpHeaders, facts: ForwardedRequestFacts): Record<string, string | string[]> {
  // One pass over what the client sent (the rules of stripHopByHopHeaders and removeIdentityHeaders, no copy between them).
  const named = connectionNamedHeaders(headerValues(incoming.connection));
  const identity = identityHeaderNames(facts.extraIdentityHeaders);
  const headers: Record<string, string | string[]> = {};
  for (const name of Object.keys(incoming)) {
    const value = incoming[name];
    if (value === undefined || REPLACED.has(name)) continue;
    const lower = name.toLowerCase();
    if (isHopByHopHeader(lower) || named?.has(lower) === true || facts.unverified.includes(lower)) continue;
    const spelt = dashed(lower); // what CGI, WSGI and PHP upstreams read
    if (REPLACED.has(spelt) || spelt.startsWith('x-forwarded-') || identity.has(spelt) || hasIdentityPrefix(spelt)) continue;
    headers[name] = value;
  }
  Object.assign(headers, facts.forwarded);
  if (facts.identity) Object.assign(headers, identityHeaders(facts.identity));
  headers[REQUEST_ID_HEADER] = facts.requestId;
  const traceparent = validTraceparent(incoming);
  if (traceparent !== undefined) {
    headers.traceparent = traceparent;
    if (typeof incoming.tracestate === 'string') headers.tracestate = incoming.tracestate;
  }
  applyHeaderRules(headers, facts.rules);
  return headers;
}
