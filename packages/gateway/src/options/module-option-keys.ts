import { findUnknownServiceOption } from '@nestmesh/client';
import { findUnknownKey, isObject, optionKeys, type UnknownKey } from '@nestmesh/common';
import type { ApiKeyDefinition } from '../auth/api-key.verifier.js';
import type { JwksFetchOptions, JwtVerifierOptions } from '../auth/jwt-verifier.options.js';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { GatewayAuthOptions, GatewayCacheOptions, GatewayLimits, GatewayModuleOptions, GatewayThrottler } from '../interfaces/gateway-module-options.interface.js';

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

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (!isObject(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

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
