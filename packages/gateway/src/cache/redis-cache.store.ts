import { ADD_VARIANT_SCRIPT } from './add-variant.script.js';
import type { CacheRecord, CacheStore, CachedResponse } from './cache-store.interface.js';
import { RedisConnection, redisScript, type RedisSource } from '../redis/redis-connection.js';

const ADD_VARIANT = redisScript(ADD_VARIANT_SCRIPT);

/**
 * Cached responses in Redis (shared by every gateway instance), each with a `PX` expiry; a variant index is
 * updated by one Lua script, so instances storing variants of one URL at once keep each other's. A Redis that
 * does not answer within `timeout` is a miss, never an error. @internal
 */
export class RedisCacheStore implements CacheStore {
  private readonly redis: RedisConnection;

  constructor(
    redis: RedisSource,
    private readonly keyPrefix: string,
    timeout = 250,
  ) {
    // A Redis that fails is a miss (every command is bounded): its errors need no more than a listener.
    this.redis = new RedisConnection(redis, timeout, 'GatewayModule cache', () => undefined);
  }

  /** Waits (at most `max(timeout, 1 s)`) for the connection, so the first answers are cached; never fails. */
  async ready(): Promise<void> {
    await this.redis.ready();
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    try {
      const raw = await this.redis.bounded(this.redis.client.getBuffer(this.keyPrefix + key));
      if (!raw) return undefined;
      const headerLength = raw.readUInt32BE(0);
      const meta = JSON.parse(raw.subarray(4, 4 + headerLength).toString('utf8')) as Omit<CachedResponse, 'body'> | CacheRecord;
      return 'variants' in meta ? meta : { ...meta, body: raw.subarray(4 + headerLength) };
    } catch {
      return undefined;
    }
  }

  async set(key: string, entry: CacheRecord, ttlMs: number): Promise<void> {
    const { body, ...fields } = entry as Partial<CachedResponse>;
    const meta = Buffer.from(JSON.stringify(fields), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(meta.length, 0);
    const value = Buffer.concat(body ? [length, meta, body] : [length, meta]);
    await this.redis.bounded(this.redis.client.set(this.keyPrefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)))).catch(() => undefined);
  }

  async addVariant(key: string, varyNames: readonly string[], variantKey: string, maxVariants: number, ttlMs: number): Promise<string[]> {
    const args = [JSON.stringify(varyNames), variantKey, String(maxVariants), String(Math.max(1, Math.round(ttlMs)))];
    const dropped = await this.redis.run(ADD_VARIANT, [this.keyPrefix + key], args).catch(() => []);
    return Array.isArray(dropped) ? dropped.map(String) : [];
  }

  async delete(key: string): Promise<void> {
    await this.redis.bounded(this.redis.client.del(this.keyPrefix + key)).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.redis.close();
  }
}
