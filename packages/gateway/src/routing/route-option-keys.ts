import { findUnknownServiceOption } from '@nestmesh/client';
import { findUnknownKey, isObject, optionKeys, type UnknownKey } from '@nestmesh/common';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { GatewayAggregate, GatewayAggregateLeg } from '../interfaces/gateway-aggregate.interface.js';
import type { GatewayHeaderRules, GatewayRoute, GatewayRouteCache, GatewayRouteThrottle } from '../interfaces/gateway-route.interface.js';

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
const CACHE_KEYS = optionKeys<GatewayRouteCache>()({ defaultTtl: true, maxTtl: true });
const REWRITE_KEYS = ['stripPrefix'] as const;
const REQUIREMENT_KEYS = ['scopes', 'roles'] as const;
const ACCESS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', '*'] as const;
const AGGREGATE_KEYS = optionKeys<GatewayAggregate>()({ legs: true, timeout: true });
const LEG_KEYS = optionKeys<GatewayAggregateLeg>()({ service: true, url: true, path: true, method: true, headers: true, pattern: true, data: true, timeout: true });

function findUnknownAccessOption(access: unknown): UnknownKey | undefined {
  if (!isObject(access)) return undefined;
  const keys = Object.keys(access);
  // One requirement for every method, or one per method: a key that reads as a method (any case) means the latter.
  const perMethod = keys.some((key) => ACCESS_METHODS.includes(key.toUpperCase() as (typeof ACCESS_METHODS)[number]));
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
    findUnknownKey(route.cache, CACHE_KEYS, 'cache.') ??
    findUnknownAggregateOption(route.aggregate) ??
    findUnknownServiceOption({ retry: route.retry, circuitBreaker: route.circuitBreaker });
  for (const [name, limits] of Object.entries(route.throttle || {})) unknown ??= findUnknownKey(limits, THROTTLE_KEYS, `throttle.${name}.`);
  if (unknown) throw new GatewayConfigurationError(messages.unknownOption(`GatewayModule route ${where}`, unknown.path, unknown.suggestion, unknown.known));
}
