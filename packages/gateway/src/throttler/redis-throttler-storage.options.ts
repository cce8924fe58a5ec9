import type { Redis, RedisOptions } from 'ioredis';

/** What the storage answers when Redis cannot: let requests through (`'open'`) or refuse them (`'closed'`). */
export type ThrottlerFailureMode = 'open' | 'closed';

/** Options of {@link RedisThrottlerStorage}. */
export interface RedisThrottlerStorageOptions {
  /**
   * The Redis to use: a connection URL (`redis://host:port/db`), ioredis options, or an ioredis client you own
   * (the storage then neither configures nor closes it). Default `redis://127.0.0.1:6379`.
   */
  redis?: string | RedisOptions | Redis;
  /** Prefix of every key the storage writes. Default `'nestmesh:throttler:'`. */
  keyPrefix?: string;
  /**
   * When Redis is down, unreachable or slower than `timeout`: `'open'` lets the request through (availability
   * first: an outage of the limiter is not an outage of the API), `'closed'` refuses it with 429 and a
   * `Retry-After` of the throttler's TTL (protection first). Either way the answer comes within `timeout`.
   * Default `'open'`.
   */
  failureMode?: ThrottlerFailureMode;
  /** Longest wait for Redis on one request, in milliseconds; then `failureMode` answers. Default `250`. */
  timeout?: number;
  /**
   * The clock, in epoch milliseconds. Default: the Redis server's clock (`TIME`), which every gateway instance
   * shares, so skewed hosts still agree on windows. Pass `Date.now` to use this process's clock.
   */
  clock?: () => number;
}
