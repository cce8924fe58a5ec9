import { getFreePort, sleep, startRedisServer, startSilentServer, type RedisServer, type SilentServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { entrySize, isVariantIndex, type CacheRecord, type CacheStore } from '../../src/cache/cache-store.interface.js';
import { MemoryCacheStore } from '../../src/cache/memory-cache.store.js';
import { RedisCacheStore } from '../../src/cache/redis-cache.store.js';
import { VaryVariants } from '../../src/cache/vary-variants.js';

/** What one store kind needs in a test: a fresh store, a second instance over the same data, and what it holds. */
interface StoreKind {
  create(prefix: string): CacheStore;
  /** Another store over the same records: a second Redis client (as another gateway has), or the same memory store. */
  twin(store: CacheStore, prefix: string): CacheStore;
  /** Every record the store holds, as raw text. */
  held(store: CacheStore, prefix: string, keys: string[]): Promise<string[]>;
  /** How much the store holds that the URL's key does not reach (records in Redis, bytes in memory). */
  unreachable(store: CacheStore, prefix: string, key: string): Promise<number>;
}

const answer = (text: string) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from(text), storedAt: Date.now() });

/** The URL's record and the variants its index names, by key. */
async function reachable(store: CacheStore, key: string): Promise<Array<[string, CacheRecord]>> {
  const record = await store.get(key);
  if (!record) return [];
  if (!isVariantIndex(record)) return [[key, record]];
  const keys = record.variants.map((variant) => `${key}\0${variant.key}`);
  const variants = await Promise.all(keys.map((at) => store.get(at)));
  return [[key, record], ...keys.flatMap((at, index): Array<[string, CacheRecord]> => (variants[index] ? [[at, variants[index]]] : []))];
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
      twin: (store) => store,
      unreachable: async (store, _prefix, key) => (store as MemoryCacheStore).size - (await reachable(store, key)).reduce((bytes, [at, record]) => bytes + entrySize(at, record), 0),
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
      twin: (_store, prefix) => new RedisCacheStore(redis.url, prefix, 5_000),
      unreachable: async (store, prefix, key) => (await inspector.keys(`${prefix}*`)).length - (await reachable(store, key)).length,
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
      const twin = kinds[kind].twin(store, prefix);
      if (twin !== store) stores.push(twin);
      await twin.ready?.();
      return { store, twin, prefix };
    };
    const languages = Array.from({ length: 40 }, (_, index) => `l${index}`);
    const storeAll = (a: VaryVariants, b: VaryVariants) =>
      Promise.all(languages.map((language, index) => (index % 2 === 0 ? a : b).set('url', answer(language), ['accept-language'], { 'accept-language': language }, 60_000)));
    const variantCount = async (store: CacheStore) => {
      const index = await store.get('url');
      return index && isVariantIndex(index) ? index.variants.length : 0;
    };

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

    it('keeps in the index every variant of one URL that two instances store at the same moment', async () => {
      const { store, twin } = await open();
      const [a, b] = [new VaryVariants(store, 64), new VaryVariants(twin, 64)];
      await storeAll(a, b);
      expect(await variantCount(store)).toBe(languages.length);
      for (const language of languages) expect((await b.get('url', { 'accept-language': language }))?.body.toString()).toBe(language);
    });

    it('keeps exactly maxVariants of them when more are stored at once, and deletes the entries of the ones it dropped', async () => {
      const { store, twin, prefix } = await open();
      const [a, b] = [new VaryVariants(store, 8), new VaryVariants(twin, 8)];
      await storeAll(a, b);
      expect(await variantCount(store)).toBe(8);
      const hits = await Promise.all(languages.map(async (language) => (await a.get('url', { 'accept-language': language }))?.body.toString()));
      expect(hits.filter((hit) => hit !== undefined)).toHaveLength(8);
      expect(await kinds[kind].unreachable(store, prefix, 'url')).toBe(0);
    });

    it('adds a variant by the same rules in every store: first, the expired ones left out, other header names or past maxVariants dropped', async () => {
      const { store } = await open();
      const keys = async (key: string) => {
        const index = await store.get(key);
        return index && isVariantIndex(index) ? { names: index.varyNames, keys: index.variants.map((variant) => variant.key) } : index;
      };
      expect(await store.addVariant('u', ['a'], 'v1', 2, 60_000)).toEqual([]);
      expect(await store.addVariant('u', ['a'], 'v2', 2, 60_000)).toEqual([]);
      expect(await store.addVariant('u', ['a'], 'v1', 2, 60_000)).toEqual([]);
      expect(await keys('u')).toEqual({ names: ['a'], keys: ['v1', 'v2'] });
      expect(await store.addVariant('u', ['a'], 'v3', 2, 60_000)).toEqual(['v2']);
      expect(await keys('u')).toEqual({ names: ['a'], keys: ['v3', 'v1'] });
      expect(await store.addVariant('u', ['a', 'b'], 'w1', 2, 60_000)).toEqual(['v3', 'v1']);
      expect(await keys('u')).toEqual({ names: ['a', 'b'], keys: ['w1'] });

      await store.addVariant('e', ['a'], 'long', 8, 60_000);
      await store.addVariant('e', ['a'], 'short', 8, 1);
      await sleep(20); // past the short one's expiry
      expect(await store.addVariant('e', ['a'], 'new', 8, 60_000)).toEqual([]);
      expect(await keys('e')).toEqual({ names: ['a'], keys: ['new', 'long'] });

      await store.set('p', { ...answer('plain'), vary: {} }, 60_000);
      expect(await store.addVariant('p', ['a'], 'x', 8, 60_000)).toEqual([]);
      expect(await keys('p')).toEqual({ names: ['a'], keys: ['x'] });
    });
  });

  describe('when Redis does not answer', () => {
    // Accepts connections and never replies: a Redis that hangs.
    let silent: SilentServer;
    let port: number;
    beforeAll(async () => {
      silent = await startSilentServer();
      port = silent.port;
    });
    afterAll(() => silent?.close());

    it.each([
      ['hangs', () => new Redis({ host: '127.0.0.1', port, enableReadyCheck: false, maxRetriesPerRequest: 0 })],
      ['is down', async () => `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`],
    ])('a Redis that %s is a miss, never an error: nothing found, nothing dropped, storing resolves', async (_how, target) => {
      const client = await target();
      const store = new RedisCacheStore(client, 'down:', 100);
      try {
        await store.ready();
        const variants = new VaryVariants(store, 8);
        await expect(variants.set('url', answer('lost'), ['accept-language'], { 'accept-language': 'fr' }, 60_000)).resolves.toBeUndefined();
        await expect(store.addVariant('url', ['accept-language'], 'v', 8, 60_000)).resolves.toEqual([]);
        await expect(variants.get('url', { 'accept-language': 'fr' })).resolves.toBeUndefined();
      } finally {
        await store.close();
        if (client instanceof Redis) client.disconnect();
      }
    });
  });
});
