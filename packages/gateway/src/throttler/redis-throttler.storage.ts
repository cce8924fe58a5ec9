import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { findUnknownKey, isNumberIn, MAX_TIMER_MS, optionKeys } from '@nestmesh/common';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { RedisConnection, redisScript, type RedisScript } from '../redis/redis-connection.js';
import type { RedisThrottlerStorageOptions, ThrottlerFailureMode } from './redis-throttler-storage.options.js';
import { BLOCKED_FOR_SCRIPT, THROTTLE_SCRIPT } from './throttle.script.js';
import type { ThrottlerStorageRecord } from './throttler-storage-record.js';

const OPTION_KEYS = optionKeys<RedisThrottlerStorageOptions>()({ redis: true, keyPrefix: true, failureMode: true, timeout: true, clock: true });

/**
 * What a throttler storage answers: `@nestjs/throttler`'s own `ThrottlerStorageRecord`.
 * @deprecated The same type as `ThrottlerStorageRecord`; kept so code that imported it still compiles.
 */
export type ThrottlerStorageAnswer = ThrottlerStorageRecord;

const THROTTLE = redisScript(THROTTLE_SCRIPT);
const BLOCKED_FOR = redisScript(BLOCKED_FOR_SCRIPT);

/**
 * @nestjs/throttler storage in Redis, for gateway instances sharing one limit: each hit is one Lua script (atomic,
 * so limits are exact under any concurrency) with the in-memory storage's rules. When Redis cannot answer within
 * `timeout`, `failureMode` decides.
 *
 * @example
 * ThrottlerModule.forRoot({
 *   throttlers: [{ name: 'burst', ttl: 1_000, limit: 20 }, { name: 'sustained', ttl: 60_000, limit: 300 }],
 *   storage: new RedisThrottlerStorage({ redis: process.env.REDIS_URL, failureMode: 'open' }),
 * });
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisThrottlerStorage');
  private readonly redis: RedisConnection;
  private readonly keyPrefix: string;
  private readonly failureMode: ThrottlerFailureMode;
  private readonly clock?: () => number;
  private failing = false;

  constructor(options: RedisThrottlerStorageOptions = {}) {
    const unknown = findUnknownKey(options, OPTION_KEYS);
    if (unknown) throw new GatewayConfigurationError(messages.unknownOption('RedisThrottlerStorage', unknown.path, unknown.suggestion, unknown.known));
    this.failureMode = options.failureMode ?? 'open';
    if (this.failureMode !== 'open' && this.failureMode !== 'closed') throw new GatewayConfigurationError(messages.invalidFailureMode(options.failureMode));
    const timeout = options.timeout ?? 250;
    if (!isNumberIn(timeout, { min: 0, max: MAX_TIMER_MS, exclusiveMin: true })) throw new GatewayConfigurationError(messages.invalidTimeout('RedisThrottlerStorage timeout', options.timeout));
    this.keyPrefix = options.keyPrefix ?? 'nestmesh:throttler:';
    if (typeof this.keyPrefix !== 'string') throw new GatewayConfigurationError(messages.invalidKeyPrefix(options.keyPrefix));
    if (options.clock !== undefined && typeof options.clock !== 'function') throw new GatewayConfigurationError(messages.invalidClock(options.clock));
    this.clock = options.clock;
    this.redis = new RedisConnection(options.redis, timeout, 'RedisThrottlerStorage', (error) => this.noteFailure(error));
  }

  /** Waits (at most `max(timeout, 1 s)`) for the connection, so the first requests are counted; never fails. */
  async onModuleInit(): Promise<void> {
    if (!(await this.redis.ready())) this.noteFailure(new Error(`not connected after ${this.redis.connectBound} ms`));
  }

  /** @nestjs/throttler's `ThrottlerStorage.increment()`: counts one hit of `key` for `throttlerName`. */
  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    // One hash slot for both keys (`{key}`), so the script also runs on a Redis Cluster. Whole milliseconds: PEXPIRE takes no fraction.
    const record = `${this.keyPrefix}{${key}}`;
    try {
      const reply = (await this.run(THROTTLE, [record, `${record}:${throttlerName}`], [String(Math.ceil(ttl)), String(limit), String(Math.ceil(blockDuration))])) as unknown[];
      return { totalHits: Number(reply[0]), timeToExpire: Number(reply[1]), isBlocked: Number(reply[2]) === 1, timeToBlockExpire: Number(reply[3]) };
    } catch (error) {
      this.noteFailure(error as Error);
      const window = Math.max(1, Math.ceil(ttl / 1000));
      if (this.failureMode === 'open') return { totalHits: 0, timeToExpire: window, isBlocked: false, timeToBlockExpire: 0 };
      return { totalHits: limit + 1, timeToExpire: window, isBlocked: true, timeToBlockExpire: Math.max(window, Math.ceil(blockDuration / 1000)) };
    }
  }

  /**
   * Seconds left of the block of `key` (rounded up), 0 when it is not blocked; counts no hit, writes nothing. A
   * key's block is shared by its throttler names here (the second argument mirrors `MemoryThrottlerStorage`).
   * When Redis cannot answer within `timeout`: 0 with `failureMode: 'open'`, 1 with `'closed'`.
   */
  async blockedFor(key: string, _throttlerName?: string): Promise<number> {
    try {
      return Number(await this.run(BLOCKED_FOR, [`${this.keyPrefix}{${key}}`], []));
    } catch (error) {
      this.noteFailure(error as Error);
      return this.failureMode === 'open' ? 0 : 1;
    }
  }

  /** Closes the connection the storage opened (a client passed in stays open: its owner closes it). */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }

  /** Runs `script` with `args` and the clock's time (`''`: the Redis server's), within `timeout`. */
  private async run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    const { client } = this.redis;
    if (client.status === 'wait') client.connect().catch(() => undefined);
    if (client.status !== 'ready') throw new Error(`the connection is ${client.status}`);
    const reply = await this.redis.run(script, keys, [...args, this.clock ? String(Math.floor(this.clock())) : '']);
    this.noteRecovery();
    return reply;
  }

  private noteRecovery(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log('Redis answers again: throttling is shared across instances once more');
  }

  private noteFailure(error: Error): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(messages.redisFailing(error.message, this.failureMode));
  }
}
