import type { ServiceClientOptions } from '@nestmesh/client';
import { CONNECTION_HEADER_FIX, isConnectionHeader, isHeaderName, isHeaderValue, isNumberIn, isObject, isServiceName, MAX_TIMER_MS } from '@nestmesh/common';
import { DEFAULT_AGGREGATE_TIMEOUT } from '../gateway.constants.js';
import type { GatewayAggregateLeg } from '../interfaces/gateway-aggregate.interface.js';
import type { GatewayRoute } from '../interfaces/gateway-route.interface.js';
import type { CompiledLeg, RouteTarget } from './compiled-route.js';
import { parseStaticUrl, unsafeStaticUrlPath } from './static-url.js';

/** The member of an aggregated answer that lists the failed legs: no leg may be named so. @internal */
export const ERRORS_MEMBER = 'errors';

const LEG_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** A path as sent: starts with `/`, visible ASCII only (no spaces, controls or fragment). */
const PATH = /^\/[\x21-\x7e]*$/;
/** Route options that have no meaning on an aggregation route (nothing is forwarded as it came). */
const PROXY_ONLY = ['rewrite', 'onRequest', 'onResponse', 'retry', 'circuitBreaker', 'timeout'] as const;

type Fail = (option: string, value: unknown, fix: string) => never;

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A leg timeout in ms: a whole number, or a duration string as discovery's options take (`'500ms'`, `'2s'`, `'1m'`); `undefined` when it is neither or out of range. */
function timeoutOf(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim()) : undefined;
  const ms = match ? Math.round(Number(match[1]) * UNITS[match[2]]) : value;
  return isNumberIn(ms, { min: 1, max: MAX_TIMER_MS, integer: true }) ? (ms as number) : undefined;
}

/** Why a leg's path (and query) would not reach the upstream as written, or `undefined`. */
function unsafeLegPath(path: string): string | undefined {
  if (!PATH.test(path) || path.includes('#')) return 'it must start with "/" and hold visible ASCII only (percent-encode the rest), without a fragment';
  const unsafe = unsafeStaticUrlPath(`http://upstream${path}`);
  return unsafe ? `it has ${unsafe}, which the upstream would resolve into another path` : undefined;
}

function compileLeg(name: string, raw: unknown, defaultTimeout: number, fail: Fail, clients: Map<string, { service: string; options: ServiceClientOptions }>): CompiledLeg {
  const where = `aggregate.legs.${name}`;
  if (!isObject(raw)) return fail(where, raw, 'give an object such as { service: "orders", path: "/orders" } or { service: "orders", pattern: "orders.stats" }.');
  const leg = raw as GatewayAggregateLeg;
  const timeout = leg.timeout === undefined ? defaultTimeout : timeoutOf(leg.timeout);
  if (timeout === undefined) return fail(`${where}.timeout`, leg.timeout, `a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, or a duration such as "500ms" or "2s" (default: aggregate.timeout).`);
  if ((leg.service === undefined) === (leg.url === undefined)) fail(where, leg, 'set exactly one of "service" (a discovered service) and "url" (a static HTTP URL).');
  if (leg.service !== undefined && !isServiceName(leg.service)) fail(`${where}.service`, leg.service, 'use a service name of 1 to 63 letters, digits and dashes, such as "orders".');
  if (leg.pattern !== undefined) {
    if (leg.service === undefined) fail(`${where}.pattern`, leg.pattern, 'a TCP message goes to a discovered "service" (its registered TCP port), not to a "url".');
    for (const option of ['path', 'method', 'headers'] as const) if (leg[option] !== undefined) fail(`${where}.${option}`, leg[option], 'a TCP leg ("pattern") sends a message, not an HTTP request: remove it, or remove "pattern" for an HTTP leg.');
    if (!(typeof leg.pattern === 'string' && leg.pattern.length > 0) && !isObject(leg.pattern)) fail(`${where}.pattern`, leg.pattern, 'use a message pattern: a non-empty string ("orders.stats") or an object ({ cmd: "stats" }).');
    const data = leg.data === undefined ? {} : leg.data;
    try {
      JSON.stringify(data);
    } catch {
      fail(`${where}.data`, data, 'the payload is sent as JSON: give a JSON-serialisable value.');
    }
    return { kind: 'tcp', name, service: leg.service!, pattern: leg.pattern, data, timeout };
  }
  if (leg.data !== undefined) fail(`${where}.data`, leg.data, 'only a TCP leg (with "pattern") sends a payload; an HTTP leg is sent without a body.');
  const method = leg.method === undefined ? 'GET' : String(leg.method).toUpperCase();
  if (!LEG_METHODS.includes(method)) fail(`${where}.method`, leg.method, `use one of ${LEG_METHODS.join(', ')} (default GET).`);
  if (leg.headers !== undefined && !isObject(leg.headers)) fail(`${where}.headers`, leg.headers, 'give an object of header names to string values.');
  for (const [header, value] of Object.entries(leg.headers ?? {})) {
    if (!isHeaderName(header)) fail(`${where}.headers`, header, 'header names are HTTP tokens such as "x-api-version".');
    if (isConnectionHeader(header)) fail(`${where}.headers`, header, CONNECTION_HEADER_FIX);
    if (!isHeaderValue(value)) fail(`${where}.headers.${header}`, value, 'header values are strings without control characters (CR, LF, NUL...).');
  }
  const headers = leg.headers === undefined ? undefined : Object.fromEntries(Object.entries(leg.headers).map(([header, value]) => [header.toLowerCase(), value]));
  if (leg.service !== undefined) {
    if (typeof leg.path !== 'string') return fail(`${where}.path`, leg.path, 'an HTTP leg of a service needs the path to call, such as "/orders" (or set "pattern" for a TCP message).');
    const unsafe = unsafeLegPath(leg.path);
    if (unsafe) fail(`${where}.path`, leg.path, `${unsafe}.`);
    return { kind: 'http', name, service: leg.service, clientKey: leg.service, method, path: leg.path, headers, timeout };
  }
  if (leg.path !== undefined) fail(`${where}.path`, leg.path, 'a "url" leg takes its path from the URL: write it there.');
  const url = parseStaticUrl(leg.url);
  if (!url) {
    return fail(`${where}.url`, leg.url, 'use an http(s) URL such as "http://10.0.0.5:8080/v1/stats" (no fragment, credentials, spaces or control characters).');
  }
  const unsafe = unsafeStaticUrlPath(String(leg.url));
  if (unsafe) fail(`${where}.url`, leg.url, `its path has ${unsafe}, which the upstream would resolve into another path.`);
  // The same client as a static `url` route of that origin (one pool, breaker and outlier state per origin).
  const clientKey = `url:${url.origin}`;
  if (!clients.has(clientKey)) clients.set(clientKey, { service: clientKey, options: { origin: url.origin } });
  return { kind: 'http', name, service: undefined, clientKey, method, path: `${url.pathname}${url.search}`, headers, timeout };
}

/**
 * Checks the `aggregate` section of a route (a {@link GatewayConfigurationError} through `fail`, naming the leg,
 * the option, the value and the fix) and the route options an aggregation route cannot have: its legs, in the
 * order given, as the route's target; static `url` legs get their origin's client in `clients`. @internal
 */
export function compileAggregate(route: GatewayRoute, id: string, fail: Fail, clients: Map<string, { service: string; options: ServiceClientOptions }>): RouteTarget {
  const aggregate = route.aggregate;
  if (route.service !== undefined || route.url !== undefined) fail('aggregate', aggregate, `an aggregation route calls its legs: remove "${route.service !== undefined ? 'service' : 'url'}", or remove "aggregate" to forward the request.`);
  if (!isObject(aggregate)) return fail('aggregate', aggregate, 'give { legs: { <name>: { service, path } | { service, pattern } | { url } }, timeout? }.');
  for (const option of PROXY_ONLY) {
    if (route[option] !== undefined) fail(option, route[option], option === 'timeout' ? 'an aggregation route bounds each leg: set aggregate.timeout or a leg\'s timeout.' : 'an aggregation route forwards nothing as it came: remove it (legs are configured under "aggregate").');
  }
  if (route.websocket === true) fail('websocket', route.websocket, 'an aggregation route answers GET and HEAD only: it cannot tunnel WebSocket upgrades.');
  if (route.methods !== undefined && Array.isArray(route.methods) && route.methods.some((method) => !['GET', 'HEAD'].includes(String(method).toUpperCase()))) {
    fail('methods', route.methods, 'an aggregation route answers GET and HEAD only: use ["GET"] or leave "methods" unset (other methods then get 405).');
  }
  const timeout = aggregate.timeout === undefined ? DEFAULT_AGGREGATE_TIMEOUT : timeoutOf(aggregate.timeout);
  if (timeout === undefined) return fail('aggregate.timeout', aggregate.timeout, `a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, or a duration such as "500ms" or "2s" (default ${DEFAULT_AGGREGATE_TIMEOUT} ms).`);
  if (Array.isArray(aggregate.legs)) return fail('aggregate.legs', aggregate.legs, 'give an object keyed by leg name, not a list: { orders: { service: "orders", path: "/orders" } }.');
  if (!isObject(aggregate.legs) || Object.keys(aggregate.legs).length === 0) return fail('aggregate.legs', aggregate.legs, 'give at least one leg, such as { orders: { service: "orders", path: "/orders" } }.');
  const prototype: unknown = Object.getPrototypeOf(aggregate.legs);
  if (prototype !== Object.prototype && prototype !== null) {
    return fail('aggregate.legs', aggregate.legs, 'give a plain object: a leg written "__proto__: {...}" in an object literal sets its prototype and would be dropped; give it another name.');
  }
  const legs: CompiledLeg[] = [];
  for (const [name, leg] of Object.entries(aggregate.legs)) {
    if (name === ERRORS_MEMBER) fail(`aggregate.legs.${name}`, leg, `"${ERRORS_MEMBER}" is reserved: the answer lists the failed legs under it. Give the leg another name.`);
    if (name === '__proto__') fail(`aggregate.legs.${name}`, leg, 'give the leg another name.');
    legs.push(compileLeg(name, leg, timeout, fail, clients));
  }
  return { kind: 'aggregate', legs, clientKey: `aggregate:${id}` };
}
