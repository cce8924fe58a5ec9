import type { Redis } from 'ioredis';
import { ADD_VARIANT_SCRIPT } from './add-variant.script.js';
import type { CacheRecord, CacheStore, CachedResponse } from './cache-store.interface.js';
import { openRedis, redisReady, redisScript, runScript, withinTimeout, type RedisSource } from '../redis/redis-connection.js';

const ADD_VARIANT = redisScript(ADD_VARIANT_SCRIPT);

/**
 * Cached responses in Redis (shared by every gateway instance), each with a `PX` expiry; a variant index is
 * updated by one Lua script, so instances storing variants of one URL at once keep each other's. A Redis that
 * does not answer within `timeout` is a miss, never an error. @internal
 */
export class RedisCacheStore implements CacheStore {
  private readonly client: Redis;
  private readonly owned: boolean;

  constructor(
    redis: RedisSource,
    private readonly keyPrefix: string,
    private readonly timeout = 250,
  ) {
    // A Redis that fails is a miss (every command is bounded): its errors need no more than a listener.
    ({ client: this.client, owned: this.owned } = openRedis(redis, timeout, 'GatewayModule cache', () => undefined));
  }

  /** Waits (at most `max(timeout, 1 s)`) for the connection, so the first answers are cached; never fails. */
  async ready(): Promise<void> {
    await redisReady(this.client, this.timeout);
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    try {
      const raw = await withinTimeout(this.client.getBuffer(this.keyPrefix + key), this.timeout);
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
    await withinTimeout(this.client.set(this.keyPrefix + key, value, 'PX', Math.max(1, Math.round(ttlMs))), this.timeout).catch(() => undefined);
  }

  async addVariant(key: string, varyNames: readonly string[], variantKey: string, maxVariants: number, ttlMs: number): Promise<string[]> {
    const args = [JSON.stringify(varyNames), variantKey, String(maxVariants), String(Math.max(1, Math.round(ttlMs)))];
    const dropped = await withinTimeout(runScript(this.client, ADD_VARIANT, [this.keyPrefix + key], args), this.timeout).catch(() => []);
    return Array.isArray(dropped) ? dropped.map(String) : [];
  }

  async delete(key: string): Promise<void> {
    await withinTimeout(this.client.del(this.keyPrefix + key), this.timeout).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.owned) this.client.disconnect();
  }
}
