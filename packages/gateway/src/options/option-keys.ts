import { findUnknownServiceOption } from '@nestmesh/client';
import { findUnknownKey, isObject, optionKeys, type UnknownKey } from '@nestmesh/common';
import { METHODS } from 'node:http';
import type { ApiKeyDefinition } from '../auth/api-key.verifier.js';
import type { JwksFetchOptions, JwtVerifierOptions } from '../auth/jwt-verifier.options.js';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { GatewayAggregate, GatewayAggregateLeg } from '../interfaces/gateway-aggregate.interface.js';
import type { GatewayAuthOptions, GatewayCacheOptions, GatewayLimits, GatewayModuleOptions, GatewayThrottler } from '../interfaces/gateway-module-options.interface.js';
import type { GatewayHeaderRules, GatewayRoute, GatewayRouteCache, GatewayRouteThrottle } from '../interfaces/gateway-route.interface.js';

const MODULE_KEYS = optionKeys<GatewayModuleOptions>()({
  routes: true,
  services: true,
  clientDefaults: true,
  auth: true,
  throttlers: true,
  throttlerStorage: true,
  trustedProxies: true,
  identityHeaders: true,
  trustRequestId: true,
  limits: true,
  cache: true,
});
const AUTH_KEYS = optionKeys<GatewayAuthOptions>()({ jwt: true, apiKeys: true, apiKeyHeader: true, default: true, realm: true, failureLimit: true });
const FAILURE_LIMIT_KEYS = ['limit', 'ttl', 'blockDuration'] as const;
const JWT_KEYS = optionKeys<JwtVerifierOptions>()({
  jwksUrl: true,
  jwks: true,
  secret: true,
  algorithms: true,
  issuer: true,
  audience: true,
  clockTolerance: true,
  rolesClaim: true,
  maxTokenLength: true,
  cache: true,
  jwksFetch: true,
  realm: true,
});
const JWT_CACHE_KEYS = optionKeys<Exclude<NonNullable<JwtVerifierOptions['cache']>, false>>()({ maxEntries: true, maxAge: true });
const JWKS_FETCH_KEYS = optionKeys<JwksFetchOptions>()({ cacheMaxAge: true, cooldown: true, timeout: true, maxBytes: true });
const API_KEY_KEYS = optionKeys<ApiKeyDefinition>()({ id: true, hash: true, subject: true, scopes: true, roles: true });
const THROTTLER_KEYS = optionKeys<GatewayThrottler>()({ name: true, limit: true, ttl: true, blockDuration: true });
const LIMITS_KEYS = optionKeys<GatewayLimits>()({ maxBodySize: true, maxResponseSize: true, maxHeaderSize: true, headersTimeout: true, bodyTimeout: true });
const CACHE_KEYS = optionKeys<GatewayCacheOptions>()({ maxBytes: true, maxEntryBytes: true, maxVariants: true, redis: true, timeout: true, keyPrefix: true });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/** @internal The first unknown key of `JwtVerifierOptions` (with `cache` and `jwksFetch`), under `path`. */
export function findUnknownJwtOption(options: unknown, path = ''): UnknownKey | undefined {
  if (!isPlainObject(options)) return undefined;
  return (
    findUnknownKey(options, JWT_KEYS, path) ??
    (isPlainObject(options.cache) ? findUnknownKey(options.cache, JWT_CACHE_KEYS, `${path}cache.`) : undefined) ??
    findUnknownKey(options.jwksFetch, JWKS_FETCH_KEYS, `${path}jwksFetch.`)
  );
}

/** @internal The first unknown key of a list of API key definitions, under `path` (e.g. `auth.apiKeys`). */
export function findUnknownApiKeyOption(definitions: unknown, path: string): UnknownKey | undefined {
  if (!Array.isArray(definitions)) return undefined;
  let unknown: UnknownKey | undefined;
  for (const [index, definition] of definitions.entries()) unknown ??= findUnknownKey(definition, API_KEY_KEYS, `${path}[${index}].`);
  return unknown;
}

/**
 * @internal Refuses unknown keys in the module options and their sections (auth with jwt, apiKeys and failureLimit,
 * limits, cache, throttlers, services, clientDefaults), naming the key's path and the closest valid key. Values the
 * user builds (a `JwtVerifier`, a Redis client, a `ThrottlerStorage`, a strategy) are not key-checked. Routes are
 * checked by `compileRoutes`.
 */
export function assertModuleOptionKeys(options: GatewayModuleOptions): void {
  const auth = options.auth;
  let unknown =
    findUnknownKey(options, MODULE_KEYS) ??
    findUnknownKey(auth, AUTH_KEYS, 'auth.') ??
    findUnknownJwtOption(auth?.jwt, 'auth.jwt.') ??
    findUnknownApiKeyOption(auth?.apiKeys, 'auth.apiKeys') ??
    findUnknownKey(auth?.failureLimit || undefined, FAILURE_LIMIT_KEYS, 'auth.failureLimit.') ??
    findUnknownKey(options.limits, LIMITS_KEYS, 'limits.') ??
    (isPlainObject(options.cache) ? findUnknownKey(options.cache, CACHE_KEYS, 'cache.') : undefined) ??
    findUnknownServiceOption(options.clientDefaults, 'clientDefaults.');
  if (Array.isArray(options.throttlers)) options.throttlers.forEach((throttler, index) => (unknown ??= findUnknownKey(throttler, THROTTLER_KEYS, `throttlers[${index}].`)));
  for (const [name, service] of Object.entries(isPlainObject(options.services) ? options.services : {})) unknown ??= findUnknownServiceOption(service, `services.${name}.`);
  if (unknown) throw new GatewayConfigurationError(messages.unknownOption('GatewayModule', unknown.path, unknown.suggestion, unknown.known));
}

const ROUTE_KEYS = optionKeys<GatewayRoute>()({
  id: true,
  path: true,
  prefix: true,
  methods: true,
  host: true,
  headers: true,
  service: true,
  url: true,
  aggregate: true,
  rewrite: true,
  requestHeaders: true,
  responseHeaders: true,
  onRequest: true,
  onResponse: true,
  timeout: true,
  retry: true,
  circuitBreaker: true,
  auth: true,
  access: true,
  throttle: true,
  cache: true,
  maxBodySize: true,
  maxResponseSize: true,
  websocket: true,
});
const HEADER_RULE_KEYS = optionKeys<GatewayHeaderRules>()({ set: true, remove: true });
const THROTTLE_KEYS = optionKeys<GatewayRouteThrottle>()({ limit: true, ttl: true, blockDuration: true });
const ROUTE_CACHE_KEYS = optionKeys<GatewayRouteCache>()({ defaultTtl: true, maxTtl: true });
const REWRITE_KEYS = ['stripPrefix'] as const;
const REQUIREMENT_KEYS = ['scopes', 'roles'] as const;
// Any method Node's parser accepts may be named (PURGE, PROPFIND...): a table without '*' refuses the ones it does not name.
const ACCESS_METHODS = [...METHODS, '*'];
const AGGREGATE_KEYS = optionKeys<GatewayAggregate>()({ legs: true, timeout: true });
const LEG_KEYS = optionKeys<GatewayAggregateLeg>()({ service: true, url: true, path: true, method: true, headers: true, pattern: true, data: true, timeout: true });

function findUnknownAccessOption(access: unknown): UnknownKey | undefined {
  if (!isObject(access)) return undefined;
  const keys = Object.keys(access);
  // One requirement for every method, or one per method: a key that reads as a method (any case) means the latter.
  const perMethod = keys.some((key) => ACCESS_METHODS.includes(key.toUpperCase()));
  if (!perMethod) return findUnknownKey(access, REQUIREMENT_KEYS, 'access.');
  let unknown = findUnknownKey(access, ACCESS_METHODS, 'access.');
  for (const key of keys) unknown ??= findUnknownKey((access as Record<string, unknown>)[key], REQUIREMENT_KEYS, `access.${key}.`);
  return unknown;
}

// Leg names, `headers` (any names), `pattern` and `data` (the message's) are not key-checked.
function findUnknownAggregateOption(aggregate: unknown): UnknownKey | undefined {
  let unknown = findUnknownKey(aggregate, AGGREGATE_KEYS, 'aggregate.');
  if (unknown || !isObject(aggregate) || !isObject(aggregate.legs)) return unknown;
  for (const [name, leg] of Object.entries(aggregate.legs)) unknown ??= findUnknownKey(leg, LEG_KEYS, `aggregate.legs.${name}.`);
  return unknown;
}

/**
 * @internal Refuses unknown keys in a route and its sections (rewrite, requestHeaders, responseHeaders, access,
 * throttle with the module's throttler names, cache, aggregate and its legs, retry, circuitBreaker), naming the
 * route (`where`), the key's path and the closest valid key. `headers` (any names), hooks and RegExps are not
 * key-checked.
 */
export function assertRouteOptionKeys(route: GatewayRoute, where: string, throttlerNames: readonly string[]): void {
  let unknown =
    findUnknownKey(route, ROUTE_KEYS) ??
    findUnknownKey(route.rewrite, REWRITE_KEYS, 'rewrite.') ??
    findUnknownKey(route.requestHeaders, HEADER_RULE_KEYS, 'requestHeaders.') ??
    findUnknownKey(route.responseHeaders, HEADER_RULE_KEYS, 'responseHeaders.') ??
    findUnknownAccessOption(route.access) ??
    // Without module throttlers, compileRoutes says to set "throttlers" (no list of names to suggest from).
    (throttlerNames.length > 0 ? findUnknownKey(route.throttle || undefined, throttlerNames, 'throttle.') : undefined) ??
    findUnknownKey(route.cache, ROUTE_CACHE_KEYS, 'cache.') ??
    findUnknownAggregateOption(route.aggregate) ??
    findUnknownServiceOption({ retry: route.retry, circuitBreaker: route.circuitBreaker });
  for (const [name, limits] of Object.entries(route.throttle || {})) unknown ??= findUnknownKey(limits, THROTTLE_KEYS, `throttle.${name}.`);
  if (unknown) throw new GatewayConfigurationError(messages.unknownOption(`GatewayModule route ${where}`, unknown.path, unknown.suggestion, unknown.known));
}
