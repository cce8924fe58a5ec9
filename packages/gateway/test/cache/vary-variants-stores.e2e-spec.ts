import { startRedisServer, type RedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import type { CacheStore } from '../../src/cache/cache-store.interface.js';
import { MemoryCacheStore } from '../../src/cache/memory-cache.store.js';
import { RedisCacheStore } from '../../src/cache/redis-cache.store.js';
import { VaryVariants } from '../../src/cache/vary-variants.js';

/** What one store kind needs in a test: a fresh store, and every record it holds as raw text. */
interface StoreKind {
  create(prefix: string): CacheStore;
  held(store: CacheStore, prefix: string, keys: string[]): Promise<string[]>;
}

describe('Vary variants over the cache stores (memory, and a real Redis)', () => {
  let redis: RedisServer;
  let inspector: Redis;
  const stores: CacheStore[] = [];
  let run = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
    inspector = new Redis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    inspector?.disconnect();
    await redis?.stop();
  });

  const kinds: Record<'memory' | 'redis', StoreKind> = {
    memory: {
      create: () => new MemoryCacheStore(10_000_000),
      // Everything reachable from the URL's key: the index and the entries it names.
      held: async (store, _prefix, keys) => {
        const texts: string[] = [];
        for (const key of keys) {
          const record = await store.get(key);
          if (!record) continue;
          texts.push(JSON.stringify({ ...record, body: 'body' in record ? record.body.toString('latin1') : undefined }));
          if ('variants' in record) for (const variant of record.variants) keys.push(`${key}\0${variant.key}`);
        }
        return texts;
      },
    },
    redis: {
      create: (prefix) => new RedisCacheStore(redis.url, prefix, 5_000),
      // Every key under the prefix, read straight from Redis.
      held: async (_store, prefix) => {
        const keys = await inspector.keys(`${prefix}*`);
        return Promise.all(keys.map(async (key) => (await inspector.getBuffer(key))!.toString('latin1')));
      },
    },
  };

  describe.each(['memory', 'redis'] as const)('in %s', (kind) => {
    const open = async () => {
      const prefix = `vary-${kind}-${(run += 1)}:`;
      const store = kinds[kind].create(prefix);
      stores.push(store);
      await store.ready?.();
      return { store, prefix };
    };
    const answer = (text: string) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from(text), storedAt: Date.now() });

    it('keeps digests of the header values an answer varies on, never the values (Vary: Authorization, Cookie), and still matches on them', async () => {
      const { store, prefix } = await open();
      const variants = new VaryVariants(store, 8);
      const alice = { authorization: 'Bearer alice-token-3f9a1c77d2', cookie: 'session=alice-session-5be0e1' };
      await variants.set('url', answer('for alice'), ['authorization', 'cookie'], alice, 60_000);

      const held = await kinds[kind].held(store, prefix, ['url']);
      expect(held).toHaveLength(2); // the URL's variant index and the one variant
      expect(held.join('\n')).toContain('for alice');
      for (const secret of ['alice-token-3f9a1c77d2', 'alice-session-5be0e1']) expect(held.join('\n')).not.toContain(secret);

      expect((await variants.get('url', alice))?.body.toString()).toBe('for alice');
      expect(await variants.get('url', { ...alice, authorization: 'Bearer mallory-token' })).toBeUndefined();
      expect(await variants.get('url', { ...alice, cookie: 'session=mallory' })).toBeUndefined();
      expect(await variants.get('url', {})).toBeUndefined();
    });
  });
});
