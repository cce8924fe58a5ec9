import type { ServiceClientOptions } from '@nestmesh/client';
import { METHODS as PARSED_METHODS } from 'node:http';
import { CONNECTION_HEADER_FIX, isConnectionHeader, isHeaderName, isHeaderValue, isNumberIn, isServiceName, MAX_TIMER_MS } from '@nestmesh/common';
import { AUTHENTICATION_MODES as AUTH_MODES, type AuthenticationMode } from '../auth/authenticator.js';
import type { AccessRequirement } from '../auth/authorization.js';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { GatewayThrottler } from '../interfaces/gateway-module-options.interface.js';
import type { GatewayRoute } from '../interfaces/gateway-route.interface.js';
import type { CompiledRoute, RouteTarget, RouteThrottler } from './compiled-route.js';
import { DEFAULT_AGGREGATE_LEG_SIZE } from '../gateway.constants.js';
import { compileAggregate } from './compile-aggregate.js';
import { compileRewrite } from './path-rewrite.js';
import { compilePattern, patternRanks, patternShape } from './route-pattern.js';
import { assertRouteOptionKeys } from '../options/option-keys.js';
import { parseStaticUrl, unsafeStaticUrlPath } from './static-url.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** A host name (lower case, no port): what a route's `host` names, after `*.` for a wildcard, and all a wildcard matches. */
const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** What routes are checked against. @internal */
export interface RouteCompilerContext {
  readonly throttlers: readonly GatewayThrottler[];
  readonly authModes: ReadonlySet<AuthenticationMode>;
  readonly defaultAuth: AuthenticationMode;
  readonly maxBodySize: number;
  readonly maxResponseSize: number;
}

/** Client options for each route key (static origins, and routes with their own retry or breaker, get a client of their own). @internal */
export type RouteClientOptions = Map<string, { service: string; options: ServiceClientOptions }>;

const positive = (value: unknown) => isNumberIn(value, { min: 0, max: Number.POSITIVE_INFINITY, exclusiveMin: true });
/** Throttler windows and blocks: whole milliseconds (Redis's PEXPIRE takes no fraction). */
const wholeMs = (value: unknown) => isNumberIn(value, { min: 1, integer: true });

function compileOne(route: GatewayRoute, index: number, context: RouteCompilerContext, clients: RouteClientOptions): CompiledRoute {
  if (typeof route !== 'object' || route === null) throw new GatewayConfigurationError(messages.invalidRoute(`#${index}`, 'route', route, 'give an object such as { prefix: "/api/orders", service: "orders" }.'));
  const where = route.id !== undefined ? JSON.stringify(route.id) : `#${index} (${JSON.stringify(route.path ?? route.prefix)})`;
  const fail = (option: string, value: unknown, fix: string): never => {
    throw new GatewayConfigurationError(messages.invalidRoute(where, option, value, fix));
  };
  assertRouteOptionKeys(route, where, context.throttlers.map((throttler) => throttler.name ?? 'default'));
  if ((route.path === undefined) === (route.prefix === undefined)) fail('path', route.path ?? route.prefix, 'set exactly one of "path" (a pattern) and "prefix".');
  const pattern = compilePattern((route.path ?? route.prefix)!, route.prefix !== undefined);
  if (typeof pattern === 'string') return fail(route.path !== undefined ? 'path' : 'prefix', route.path ?? route.prefix, `${pattern}.`);
  const methods = route.methods === undefined ? undefined : Array.isArray(route.methods) && route.methods.length > 0 ? route.methods.map((m) => String(m).toUpperCase()) : fail('methods', route.methods, 'give a non-empty list such as ["GET", "POST"].');
  for (const method of methods ?? []) if (!METHODS.includes(method)) fail('methods', route.methods, `${JSON.stringify(method)} is not one of ${METHODS.join(', ')}.`);
  if (methods?.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
  const id = route.id ?? `${methods ? methods.join(',') : '*'} ${pattern.source}`;

  let host: CompiledRoute['host'];
  if (route.host !== undefined) {
    const wanted = typeof route.host === 'string' ? route.host.toLowerCase() : '';
    if (!HOST_NAME.test(wanted.startsWith('*.') ? wanted.slice(2) : wanted)) fail('host', route.host, 'use a host name such as "api.example.com" or "*.example.com" (no port).');
    host = wanted.startsWith('*.') ? (h) => h.endsWith(wanted.slice(1)) && HOST_NAME.test(h) : (h) => h === wanted;
  }
  const headers: Array<[string, (value: string | string[] | undefined) => boolean]> = [];
  for (const [name, rule] of Object.entries(route.headers ?? {})) {
    if (!isHeaderName(name)) fail('headers', name, 'header names are HTTP tokens such as "x-api-version".');
    const test =
      rule === true ? () => true : typeof rule === 'string' ? (v: string) => v === rule : rule instanceof RegExp ? (v: string) => rule.test(v) : fail('headers', rule, 'use true (present), a string (equal) or a RegExp.');
    headers.push([name.toLowerCase(), (value) => value !== undefined && (Array.isArray(value) ? value.some((v) => test(v)) : test(value))]);
  }

  if (route.aggregate === undefined && (route.service === undefined) === (route.url === undefined)) fail('service', route.service ?? route.url, 'set exactly one of "service" (a discovered service name), "url" (a static upstream) and "aggregate" (legs whose answers are merged).');
  let target: RouteTarget;
  // A route with its own retry or breaker gets a client of its own.
  const resilience: ServiceClientOptions = {};
  if (route.retry !== undefined) resilience.retry = route.retry;
  if (route.circuitBreaker !== undefined) resilience.circuitBreaker = route.circuitBreaker;
  const ownResilience = Object.keys(resilience).length > 0;
  if (route.aggregate !== undefined) {
    target = compileAggregate(route, id, fail, clients);
  } else if (route.service !== undefined) {
    if (!isServiceName(route.service)) fail('service', route.service, 'use a service name of 1 to 63 letters, digits and dashes, starting and ending with a letter or digit, such as "orders" (as discovery requires).');
    const clientKey = ownResilience ? `${route.service}#route:${id}` : route.service;
    const options: ServiceClientOptions = { serviceName: route.service, ...resilience };
    if (ownResilience) clients.set(clientKey, { service: route.service, options });
    target = { kind: 'service', service: route.service, clientKey };
  } else {
    const url = parseStaticUrl(route.url);
    if (!url || url.search) {
      return fail('url', route.url, 'use an http(s) origin with an optional base path, such as "http://10.0.0.5:8080/v1" (no query, fragment, credentials, spaces or control characters).');
    }
    const unsafe = unsafeStaticUrlPath(String(route.url));
    if (unsafe) throw new GatewayConfigurationError(messages.unsafeStaticUrl(where, String(route.url), unsafe));
    // A static origin is a client of its own over that one endpoint, configured like a service's.
    const clientKey = ownResilience ? `url:${url.origin}#route:${id}` : `url:${url.origin}`;
    clients.set(clientKey, { service: clientKey, options: { origin: url.origin, ...resilience } });
    target = { kind: 'url', origin: url.origin, basePath: url.pathname.replace(/\/$/, ''), clientKey };
  }
  const rewrite = compileRewrite(route.rewrite, pattern, target.kind === 'url' ? target.basePath : '');
  if (typeof rewrite === 'string') return fail('rewrite', route.rewrite, `${rewrite}.`);

  for (const [option, rules] of [['requestHeaders', route.requestHeaders], ['responseHeaders', route.responseHeaders]] as const) {
    if (rules === undefined) continue;
    for (const name of [...Object.keys(rules.set ?? {}), ...(rules.remove ?? [])]) if (typeof name !== 'string' || !isHeaderName(name)) fail(option, name, 'header names are HTTP tokens.');
    for (const name of Object.keys(rules.set ?? {})) if (option === 'requestHeaders' && isConnectionHeader(name)) fail(option, name, CONNECTION_HEADER_FIX);
    for (const value of Object.values(rules.set ?? {})) if (!isHeaderValue(value)) fail(option, value, 'header values are strings without control characters (CR, LF, NUL...).');
  }
  for (const hook of ['onRequest', 'onResponse'] as const) if (route[hook] !== undefined && typeof route[hook] !== 'function') fail(hook, route[hook], 'give a function (context) => void | Promise<void>.');
  if (route.timeout !== undefined && !isNumberIn(route.timeout, { min: 0, max: MAX_TIMER_MS, exclusiveMin: true })) fail('timeout', route.timeout, `a number of milliseconds greater than 0 and at most ${MAX_TIMER_MS}.`);

  const auth = route.auth ?? context.defaultAuth;
  if (!AUTH_MODES.includes(auth)) fail('auth', route.auth, `use one of ${AUTH_MODES.map((mode) => `'${mode}'`).join(', ')}.`);
  if (!context.authModes.has(auth)) fail('auth', auth, auth === 'jwt' ? 'configure auth.jwt in GatewayModule options.' : auth === 'api-key' ? 'configure auth.apiKeys.' : 'configure auth.jwt or auth.apiKeys.');
  const access = compileAccess(route.access, auth, fail);

  const throttlers: RouteThrottler[] = [];
  if (route.throttle !== undefined && route.throttle !== false && (typeof route.throttle !== 'object' || route.throttle === null)) fail('throttle', route.throttle, 'use false, or { <throttler name>: { limit, ttl } | false }.');
  const names = new Set(context.throttlers.map((throttler) => throttler.name ?? 'default'));
  for (const name of Object.keys(route.throttle || {})) if (!names.has(name)) fail('throttle', name, `no throttler is named so; the module has ${names.size ? [...names].map((n) => `"${n}"`).join(', ') : 'none (set "throttlers")'}.`);
  if (route.throttle !== false) {
    for (const base of context.throttlers) {
      const name = base.name ?? 'default';
      const own = route.throttle?.[name];
      if (own === false) continue;
      const merged = { ...base, ...own };
      if (!isNumberIn(merged.limit, { min: 1, integer: true })) fail(`throttle.${name}.limit`, merged.limit, 'an integer of at least 1.');
      if (!wholeMs(merged.ttl)) fail(`throttle.${name}.ttl`, merged.ttl, 'a window in whole milliseconds, an integer of at least 1.');
      if (merged.blockDuration !== undefined && !wholeMs(merged.blockDuration)) fail(`throttle.${name}.blockDuration`, merged.blockDuration, 'whole milliseconds, an integer of at least 1.');
      throttlers.push({ name, limit: merged.limit, ttl: merged.ttl, blockDuration: merged.blockDuration ?? merged.ttl });
    }
  }

  let cache: CompiledRoute['cache'];
  if (route.cache !== undefined && route.cache !== false) {
    const own = route.cache === true ? {} : typeof route.cache === 'object' && route.cache !== null ? route.cache : fail('cache', route.cache, 'use true or { defaultTtl, maxTtl }.');
    cache = { defaultTtl: own.defaultTtl ?? 0, maxTtl: own.maxTtl ?? 300_000 };
    if (!(cache.defaultTtl >= 0) || !positive(cache.maxTtl)) fail('cache', route.cache, 'defaultTtl >= 0 and maxTtl > 0, in milliseconds.');
    if (methods && !methods.includes('GET')) fail('cache', route.cache, 'only GET and HEAD answers are cached, and this route matches neither.');
  }
  const maxBodySize = route.maxBodySize ?? context.maxBodySize;
  if (!isNumberIn(maxBodySize, { min: 0, integer: true })) fail('maxBodySize', route.maxBodySize, 'a whole number of bytes (0: no body).');
  // An aggregation route reads each leg's body whole: bounded by default well below the streaming limit.
  const maxResponseSize = route.maxResponseSize ?? (target.kind === 'aggregate' ? Math.min(context.maxResponseSize, DEFAULT_AGGREGATE_LEG_SIZE) : context.maxResponseSize);
  if (!isNumberIn(maxResponseSize, { min: 0, integer: true })) fail('maxResponseSize', route.maxResponseSize, 'a whole number of bytes.');
  if (route.websocket !== undefined && typeof route.websocket !== 'boolean') fail('websocket', route.websocket, 'use true to tunnel WebSocket upgrades on this route, or leave it unset (upgrades refused).');

  return {
    id,
    index,
    pattern,
    methods: methods ? new Set(methods) : undefined,
    host,
    headers,
    target,
    rewrite,
    requestHeaders: route.requestHeaders,
    responseHeaders: route.responseHeaders,
    onRequest: route.onRequest,
    onResponse: route.onResponse,
    timeout: route.timeout,
    auth,
    access,
    throttlers,
    cache,
    maxBodySize,
    maxResponseSize,
    websocket: route.websocket === true,
  };
}

function compileAccess(access: GatewayRoute['access'], auth: AuthenticationMode, fail: (option: string, value: unknown, fix: string) => never): CompiledRoute['access'] {
  if (access === undefined) return () => undefined;
  if (typeof access !== 'object' || access === null) return fail('access', access, 'use { scopes, roles } or { GET: { scopes }, "*": { scopes } }.');
  const check = (requirement: unknown, key: string): AccessRequirement => {
    const { scopes, roles } = (requirement ?? {}) as AccessRequirement;
    const valid = (list: unknown) =>
      list === undefined || (Array.isArray(list) && list.every((item) => typeof item === 'string' && item.length > 0));
    if (!valid(scopes) || !valid(roles)) fail(`access${key}`, requirement, 'scopes and roles are lists of non-empty strings.');
    return { scopes: scopes ?? [], roles: roles ?? [] };
  };
  const keys = Object.keys(access);
  const perMethod = keys.length > 0 && keys.every((key) => key === '*' || PARSED_METHODS.includes(key));
  if (!perMethod && keys.some((key) => key !== 'scopes' && key !== 'roles')) fail('access', access, 'use { scopes, roles }, or per method { GET: {...}, "*": {...} } with methods in upper case.');
  if (auth === 'public' && keys.length > 0) fail('access', access, "a public route has no caller to check: set auth to 'jwt', 'api-key' or 'any'.");
  if (!perMethod) {
    const requirement = check(access, '');
    return () => requirement;
  }
  const table = new Map(keys.map((key) => [key, check((access as Record<string, unknown>)[key], `.${key}`)]));
  // Without '*', a method outside the seven standard ones that the table does not name is refused (verb tampering).
  const others = table.get('*') ?? null;
  return (method) => table.get(method) ?? (method === 'HEAD' ? table.get('GET') : undefined) ?? (METHODS.includes(method) ? table.get('*') : others);
}

/** Orders two routes, most specific first. */
function compare(a: CompiledRoute, b: CompiledRoute): number {
  const ra = patternRanks(a.pattern);
  const rb = patternRanks(b.pattern);
  for (let index = 0; index < Math.min(ra.length, rb.length); index += 1) if (ra[index] !== rb[index]) return rb[index] - ra[index];
  if (ra.length !== rb.length) return rb.length - ra.length;
  const constraints = (route: CompiledRoute) => [route.host ? 1 : 0, route.headers.length, route.methods ? 1 : 0];
  const [ca, cb] = [constraints(a), constraints(b)];
  for (let index = 0; index < ca.length; index += 1) if (ca[index] !== cb[index]) return cb[index] - ca[index];
  return a.index - b.index;
}

/**
 * Checks every route (a {@link GatewayConfigurationError} naming the route, the option, the value and the fix),
 * refuses two routes that would match the same requests, and orders them most specific first. @internal
 */
export function compileRoutes(routes: unknown, context: RouteCompilerContext): { routes: CompiledRoute[]; clients: RouteClientOptions } {
  if (!Array.isArray(routes)) throw new GatewayConfigurationError(messages.invalidGatewayOption('routes', routes, 'Give a list of routes, e.g. [{ prefix: "/api/orders", service: "orders" }].'));
  const clients: RouteClientOptions = new Map();
  const compiled = routes.map((route, index) => compileOne(route as GatewayRoute, index, context, clients));
  const seen = new Map<string, CompiledRoute[]>();
  const ids = new Set<string>();
  for (const route of compiled) {
    const { host, headers } = routes[route.index] as GatewayRoute;
    const rules = Object.entries(headers ?? {}).map(([name, rule]) => [name.toLowerCase(), String(rule)]).sort();
    // Routes that match the same paths, host and headers.
    const key = JSON.stringify([patternShape(route.pattern), host?.toLowerCase() ?? '', rules]);
    for (const other of seen.get(key) ?? []) {
      // Methods narrow a route (it then goes first); the same methods on both, or none on either, is a conflict.
      const overlap = !other.methods && !route.methods ? new Set(['every method']) : !other.methods || !route.methods ? new Set<string>() : new Set([...route.methods].filter((m) => other.methods!.has(m)));
      if (overlap.size > 0) {
        throw new GatewayConfigurationError(messages.conflictingRoutes(JSON.stringify(other.id), JSON.stringify(route.id), `both match ${route.pattern.source} for ${[...overlap].join(', ')}`));
      }
    }
    seen.set(key, [...(seen.get(key) ?? []), route]);
    if (ids.has(route.id)) throw new GatewayConfigurationError(messages.conflictingRoutes(JSON.stringify(route.id), JSON.stringify(route.id), 'two routes have the same id'));
    ids.add(route.id);
  }
  return { routes: compiled.sort(compare), clients };
}
