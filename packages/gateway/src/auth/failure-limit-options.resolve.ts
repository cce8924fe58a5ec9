import { isNumberIn, isObject } from '@nestmesh/common';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { DEFAULT_AUTH_FAILURE_LIMIT } from '../gateway.constants.js';
import type { GatewayAuthFailureLimit } from '../interfaces/gateway-module-options.interface.js';

/** `auth.failureLimit` checked, with its defaults. @internal */
export interface ResolvedFailureLimit {
  readonly limit: number;
  readonly ttl: number;
  readonly blockDuration: number;
}

const fail = (option: string, value: unknown, fix: string): never => {
  throw new GatewayConfigurationError(messages.invalidFailureLimit(option, value, fix));
};

function whole(options: GatewayAuthFailureLimit, name: keyof GatewayAuthFailureLimit, fallback: number, unit: string): number {
  const value = options[name] ?? fallback;
  if (!isNumberIn(value, { min: 1, integer: true })) fail(`.${name}`, options[name], `Use a whole number of ${unit}, at least 1 (default ${fallback}).`);
  return value;
}

/**
 * Checks `auth.failureLimit` at bootstrap and applies its defaults (`{ limit: 20, ttl: 60_000 }`,
 * `blockDuration` = `ttl`); `undefined` when it is `false` (off). A wrong value fails the bootstrap (an unknown key
 * did already, in `assertModuleOptionKeys`): a typo must not quietly weaken a security limit. @internal
 */
export function resolveFailureLimit(value: GatewayAuthFailureLimit | false | undefined): ResolvedFailureLimit | undefined {
  if (value === false) return undefined;
  const options = value ?? {};
  if (!isObject(options)) {
    return fail('', value, 'Use { limit, ttl, blockDuration } (each optional; default { limit: 20, ttl: 60_000 }), or false to turn it off (not recommended).');
  }
  const limit = whole(options, 'limit', DEFAULT_AUTH_FAILURE_LIMIT.limit, 'refused credentials');
  const ttl = whole(options, 'ttl', DEFAULT_AUTH_FAILURE_LIMIT.ttl, 'milliseconds');
  const blockDuration = whole(options, 'blockDuration', ttl, 'milliseconds');
  return { limit, ttl, blockDuration };
}
