import { withTimeout } from '@nestmesh/common';
import { Redis, type RedisOptions } from 'ioredis';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';

/** Where a Redis is: a connection URL, ioredis options, or an ioredis client its owner configured. */
export type RedisSource = string | RedisOptions | Redis;

/** The Redis used when none is named. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The one place the gateway opens Redis connections (`RedisThrottlerStorage`, the Redis response cache), with one
 * set of bounds from `timeout` (ms): no offline queue (while Redis is away a request gets its fallback at once
 * instead of piling up in memory), no retry of a failed command, each command bounded by `timeout` and a
 * connection attempt by `max(timeout, 1 s)`. An ioredis client passed in is used as it is (its owner configured it
 * and closes it). An opened client reports its errors to `onError` (never unhandled), and is closed by its user.
 * Throws a `GatewayConfigurationError` naming `owner` for anything else than a URL, options or a client. @internal
 */
export function openRedis(source: RedisSource | undefined, timeout: number, owner: string, onError: (error: Error) => void): { client: Redis; owned: boolean } {
  if (source instanceof Redis) return { client: source, owned: false };
  const bounds = { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: timeout, connectTimeout: connectBound(timeout) };
  let client: Redis;
  if (source === undefined || typeof source === 'string') client = new Redis(source ?? DEFAULT_REDIS_URL, bounds);
  else if (typeof source === 'object' && source !== null) client = new Redis({ ...source, ...bounds });
  else throw new GatewayConfigurationError(messages.invalidRedis(owner, source));
  client.on('error', onError);
  return { client, owned: true };
}

/** How long connecting may take for a `timeout` of commands: `max(timeout, 1 s)`. @internal */
export function connectBound(timeout: number): number {
  return Math.max(timeout, 1_000);
}

/**
 * Waits, at most {@link connectBound}, for `client` to be ready (connecting a `lazyConnect` one), so that a store's
 * first requests are served rather than answered by its fallback; never fails (a Redis outage must not fail the
 * bootstrap). Whether it is ready. @internal
 */
export async function redisReady(client: Redis, timeout: number): Promise<boolean> {
  if (client.status === 'wait') client.connect().catch(() => undefined);
  if (client.status !== 'ready') {
    await once(client, 'ready', { signal: AbortSignal.timeout(connectBound(timeout)) }).catch(() => undefined);
  }
  return client.status === 'ready';
}

/** A Lua script and its SHA-1, run with `EVALSHA`. @internal */
export interface RedisScript {
  readonly source: string;
  readonly sha: string;
}

/** @internal */
export const redisScript = (source: string): RedisScript => ({ source, sha: createHash('sha1').update(source).digest('hex') });

/** Runs `script` by its SHA, sending its source (`EVAL`) when this Redis does not know it yet (`NOSCRIPT`). @internal */
export async function runScript(client: Redis, script: RedisScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!/NOSCRIPT/.test((error as Error).message)) throw error;
    return await client.eval(script.source, keys.length, ...keys, ...args);
  }
}

/** `command`, or a rejection once `timeout` ms passed (on our own timer: the caller's fallback comes on time). @internal */
export function withinTimeout<T>(command: Promise<T>, timeout: number): Promise<T> {
  return withTimeout(command, timeout, () => {
    throw new Error(`no answer within ${timeout} ms`);
  });
}
