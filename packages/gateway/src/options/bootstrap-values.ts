import { isNumberIn, isObject, MAX_TIMER_MS } from '@nestmesh/common';
import { AUTHENTICATION_MODES as AUTH_MODES, type AuthenticationMode } from '../auth/authenticator.js';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_CACHE, DEFAULT_LIMITS } from '../gateway.constants.js';
import type { GatewayAuthFailureLimit, GatewayCacheOptions, GatewayLimits } from '../interfaces/gateway-module-options.interface.js';

/** `limits` with defaults applied. @internal */
export type ResolvedLimits = Required<GatewayLimits>;

/** `auth.failureLimit` checked, with its defaults. @internal */
export type ResolvedFailureLimit = Readonly<Required<GatewayAuthFailureLimit>>;

/** The `cache` options with defaults applied. @internal */
export type ResolvedCacheOptions = Required<Omit<GatewayCacheOptions, 'redis'>> & Pick<GatewayCacheOptions, 'redis'>;

const fail = (option: string, value: unknown, fix: string): never => {
  throw new GatewayConfigurationError(messages.invalidGatewayOption(option, value, fix));
};

function wholeNumber(option: string, value: unknown, fallback: number, min: number, fix: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!isNumberIn(value, { min, max, integer: true })) fail(option, value, `${fix} (default ${fallback}).`);
  return value as number;
}

function section(option: string, value: unknown, fix: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isObject(value)) return fail(option, value, fix);
  return value as Record<string, unknown>;
}

const timeoutFix = 'Use a whole number of milliseconds, at least 1 and at most 2147483647 (Node\'s largest timer); there is no "off", as a client could then hold a connection open forever';

/**
 * Checks `limits` and applies the defaults. Impossible values are refused: sizes are whole numbers of bytes
 * (`maxHeaderSize` at least 1, a request always has a Host header), timeouts whole milliseconds from 1 to
 * 2147483647 (0 is refused, never read as "off": slow clients must stay bounded). @internal
 */
export function resolveLimits(limits: unknown): ResolvedLimits {
  const given = section('limits', limits, 'Pass an object such as { maxBodySize: 1048576 }, or leave it unset.') as GatewayLimits;
  const d = DEFAULT_LIMITS;
  return {
    maxBodySize: wholeNumber('limits.maxBodySize', given.maxBodySize, d.maxBodySize, 0, 'Use a whole number of bytes, 0 or more (0: no body)'),
    maxResponseSize: wholeNumber('limits.maxResponseSize', given.maxResponseSize, d.maxResponseSize, 0, 'Use a whole number of bytes, 0 or more'),
    maxHeaderSize: wholeNumber('limits.maxHeaderSize', given.maxHeaderSize, d.maxHeaderSize, 1, 'Use a whole number of bytes, at least 1 (every request has a Host header)'),
    headersTimeout: wholeNumber('limits.headersTimeout', given.headersTimeout, d.headersTimeout, 1, timeoutFix, MAX_TIMER_MS),
    bodyTimeout: wholeNumber('limits.bodyTimeout', given.bodyTimeout, d.bodyTimeout, 1, timeoutFix, MAX_TIMER_MS),
  };
}

/** Checks `cache` (whether or not a route uses the cache yet) and applies the defaults. @internal */
export function resolveCacheOptions(cache: unknown): ResolvedCacheOptions {
  const given = section('cache', cache, 'Pass an object such as { maxBytes: 67108864 }, or leave it unset.');
  const d = DEFAULT_CACHE;
  const keyPrefix = given.keyPrefix ?? d.keyPrefix;
  if (typeof keyPrefix !== 'string' || keyPrefix.length === 0) fail('cache.keyPrefix', keyPrefix, `Use a non-empty string such as "${d.keyPrefix}" (the default).`);
  return {
    maxBytes: wholeNumber('cache.maxBytes', given.maxBytes, d.maxBytes, 1, 'Use a whole number of bytes, at least 1'),
    maxEntryBytes: wholeNumber('cache.maxEntryBytes', given.maxEntryBytes, d.maxEntryBytes, 1, 'Use a whole number of bytes, at least 1'),
    maxVariants: wholeNumber('cache.maxVariants', given.maxVariants, d.maxVariants, 1, 'Use a whole number of at least 1'),
    redis: given.redis as ResolvedCacheOptions['redis'],
    timeout: wholeNumber('cache.timeout', given.timeout, d.timeout, 1, 'Use a whole number of milliseconds, at least 1 and at most 2147483647', MAX_TIMER_MS),
    keyPrefix: keyPrefix as string,
  };
}

/**
 * The mode of routes that set no `auth`: `auth.default`, checked on its own so that an error names `auth.default`
 * rather than the first route that uses it. @internal
 */
export function resolveDefaultAuth(mode: unknown, available: ReadonlySet<AuthenticationMode>): AuthenticationMode {
  if (mode === undefined) return 'public';
  if (!AUTH_MODES.includes(mode as AuthenticationMode)) fail('auth.default', mode, `Use one of ${AUTH_MODES.map((m) => `'${m}'`).join(', ')}, or leave it unset ('public').`);
  if (!available.has(mode as AuthenticationMode)) {
    const fix = mode === 'jwt' ? 'configure auth.jwt' : mode === 'api-key' ? 'configure auth.apiKeys' : 'configure auth.jwt or auth.apiKeys';
    fail('auth.default', mode, `Its verifier is not configured: ${fix} in GatewayModule options, or choose another default.`);
  }
  return mode as AuthenticationMode;
}

/**
 * Checks `auth.failureLimit` and applies its defaults (`{ limit: 20, ttl: 60_000 }`, `blockDuration` = `ttl`);
 * `undefined` when it is `false` (off). A wrong value fails the bootstrap: a typo must not quietly weaken a security
 * limit. @internal
 */
export function resolveFailureLimit(value: unknown): ResolvedFailureLimit | undefined {
  if (value === false) return undefined;
  const fix = 'Use { limit, ttl, blockDuration } (each optional; default { limit: 20, ttl: 60_000 }), or false to turn it off (not recommended).';
  const given = section('auth.failureLimit', value, fix) as GatewayAuthFailureLimit;
  const d = DEFAULT_AUTH_FAILURE_LIMIT;
  const limit = wholeNumber('auth.failureLimit.limit', given.limit, d.limit, 1, 'Use a whole number of refused credentials, at least 1');
  const ttl = wholeNumber('auth.failureLimit.ttl', given.ttl, d.ttl, 1, 'Use a whole number of milliseconds, at least 1');
  const blockDuration = wholeNumber('auth.failureLimit.blockDuration', given.blockDuration, ttl, 1, 'Use a whole number of milliseconds, at least 1');
  return { limit, ttl, blockDuration };
}
