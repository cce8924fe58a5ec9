import { withTimeout } from '@nestmesh/common';
import { Redis, type RedisOptions } from 'ioredis';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';

/** Where a Redis is: a connection URL, ioredis options, or an ioredis client its owner configured. */
export type RedisSource = string | RedisOptions | Redis;

/** A Lua script and its SHA-1, run with `EVALSHA`. @internal */
export interface RedisScript {
  readonly source: string;
  readonly sha: string;
}

/** @internal */
export const redisScript = (source: string): RedisScript => ({ source, sha: createHash('sha1').update(source).digest('hex') });

/**
 * The one place the gateway opens Redis connections (`RedisThrottlerStorage`, the Redis response cache), with one
 * set of bounds from `timeout` (ms): no offline queue (while Redis is away a request gets its fallback at once
 * instead of piling up in memory), no retry of a failed command, each command bounded by `timeout` and a
 * connection attempt by `connectBound`. An ioredis client passed in is used as it is (its owner configured it
 * and closes it). An opened client reports its errors to `onError` (never unhandled).
 * Throws a `GatewayConfigurationError` naming `owner` for anything else than a URL, options or a client. @internal
 */
export class RedisConnection {
  readonly client: Redis;
  /** Whether the client was opened here (then {@link close} closes it). */
  readonly owned: boolean;
  /** How long connecting may take: `max(timeout, 1 s)`. */
  readonly connectBound: number;

  constructor(source: RedisSource | undefined, readonly timeout: number, owner: string, onError: (error: Error) => void) {
    this.owned = !(source instanceof Redis);
    this.connectBound = Math.max(timeout, 1_000);
    const bounds = { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: timeout, connectTimeout: this.connectBound };
    if (source instanceof Redis) this.client = source;
    else if (source === undefined || typeof source === 'string') this.client = new Redis(source ?? 'redis://127.0.0.1:6379', bounds);
    else if (typeof source === 'object' && source !== null) this.client = new Redis({ ...source, ...bounds });
    else throw new GatewayConfigurationError(messages.invalidRedis(owner, source));
    if (this.owned) this.client.on('error', onError);
  }

  /**
   * Waits, at most `connectBound`, for the client to be ready (connecting a `lazyConnect` one), so that a store's
   * first requests are served rather than answered by its fallback; never fails (a Redis outage must not fail the
   * bootstrap). Whether it is ready.
   */
  async ready(): Promise<boolean> {
    const { client } = this;
    if (client.status === 'wait') client.connect().catch(() => undefined);
    if (client.status !== 'ready') {
      await once(client, 'ready', { signal: AbortSignal.timeout(this.connectBound) }).catch(() => undefined);
    }
    return client.status === 'ready';
  }

  /** `command`, or a rejection once `timeout` ms passed (on our own timer: the caller's fallback comes on time). */
  bounded<T>(command: Promise<T>): Promise<T> {
    return withTimeout(command, this.timeout, () => {
      throw new Error(`no answer within ${this.timeout} ms`);
    });
  }

  /** Runs `script` by its SHA, sending its source (`EVAL`) when this Redis does not know it yet, within `timeout`. */
  run(script: RedisScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const sent = this.client.evalsha(script.sha, keys.length, ...keys, ...args).catch((error: Error) => {
      if (!/NOSCRIPT/.test(error.message)) throw error;
      return this.client.eval(script.source, keys.length, ...keys, ...args);
    });
    return this.bounded(sent);
  }

  /** Closes a client opened here: `QUIT` (within `timeout`), else a disconnect. A client passed in stays open. */
  async close(): Promise<void> {
    const { client } = this;
    if (!this.owned || client.status === 'end') return;
    if (client.status !== 'ready') return client.disconnect(); // nothing to say goodbye to
    const ended = new Promise((resolve) => client.once('end', resolve));
    await this.bounded(client.quit().then(() => ended)).catch(() => client.disconnect());
  }
}
