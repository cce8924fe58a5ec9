import { storability } from './cache-control.js';
import { entrySize } from './cache-store.interface.js';
import { MemoryCacheStore } from './memory-cache.store.js';

const entry = (bytes: number) => ({ status: 200, headers: {}, body: Buffer.alloc(bytes), storedAt: Date.now(), vary: {} });

describe('MemoryCacheStore', () => {
  it('stays within its byte bound, evicting the least recently used first', async () => {
    const size = entrySize('a', entry(1_000));
    const store = new MemoryCacheStore(size * 3);
    await store.set('a', entry(1_000), 60_000);
    await store.set('b', entry(1_000), 60_000);
    await store.set('c', entry(1_000), 60_000);
    await store.get('a'); // a is now the most recently used
    await store.set('d', entry(1_000), 60_000);
    expect(store.size).toBeLessThanOrEqual(size * 3);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('d')).toBeDefined();
    await store.set('huge', entry(size * 4), 60_000);
    expect(await store.get('huge')).toBeUndefined();
  });

  it('counts its keys against the bound too: long query strings with small answers are no free memory', async () => {
    const store = new MemoryCacheStore(100_000);
    for (let index = 0; index < 100; index += 1) await store.set(`${index}:${'q'.repeat(15_000)}`, entry(10), 60_000);
    expect(store.size).toBeLessThanOrEqual(100_000);
    expect(store.size).toBeGreaterThan(15_000 * 5);
  });

  it('forgets expired entries', async () => {
    const store = new MemoryCacheStore(1_000_000);
    await store.set('a', entry(10), 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });
});

describe('storability', () => {
  it.each<[Record<string, string>, number, { ttl: number; shared: boolean }]>([
    [{ 'cache-control': 'max-age=60' }, 0, { ttl: 60_000, shared: false }],
    [{ 'cache-control': 'public, max-age=60' }, 0, { ttl: 60_000, shared: true }],
    [{ 'cache-control': 'max-age=60, s-maxage=5' }, 0, { ttl: 5_000, shared: true }],
    [{ 'cache-control': 'max-age=9999' }, 0, { ttl: 300_000, shared: false }],
    [{}, 2_000, { ttl: 2_000, shared: false }],
    [{}, 0, { ttl: 0, shared: false }],
    [{ 'cache-control': 'no-store, max-age=60' }, 0, { ttl: 0, shared: false }],
    [{ 'cache-control': 'private, max-age=60' }, 0, { ttl: 0, shared: false }],
    [{ 'cache-control': 'max-age=60', 'set-cookie': 'a=1' }, 0, { ttl: 0, shared: false }],
    [{ 'cache-control': 'max-age=60', vary: 'accept, *' }, 0, { ttl: 0, shared: false }],
    // Already `Age` seconds old upstream (RFC 9111 §4.2.3): only the rest of its freshness is left.
    [{ 'cache-control': 'public, max-age=5', age: '4' }, 0, { ttl: 1_000, shared: true }],
    [{ 'cache-control': 'max-age=5', age: '5' }, 0, { ttl: 0, shared: false }],
    [{ 'cache-control': 'max-age=5', age: 'x' }, 0, { ttl: 5_000, shared: false }],
    // Expires when no max-age says otherwise (RFC 9111 §5.3): from the answer's Date; an invalid one ("0") is past.
    [{ expires: '0' }, 60_000, { ttl: 0, shared: false }],
    [{ expires: 'Thu, 01 Jan 1970 00:00:00 GMT' }, 60_000, { ttl: 0, shared: false }],
    [{ date: 'Fri, 04 Dec 2026 10:00:00 GMT', expires: 'Fri, 04 Dec 2026 10:00:30 GMT' }, 60_000, { ttl: 30_000, shared: false }],
    [{ date: 'Fri, 04 Dec 2026 10:00:00 GMT', expires: 'Fri Dec  4 10:00:20 2026' }, 0, { ttl: 20_000, shared: false }],
    [{ 'cache-control': 'max-age=60', expires: '0' }, 0, { ttl: 60_000, shared: false }],
    // A directive given twice: its first value (RFC 9111 §4.2.1), not the last.
    [{ 'cache-control': 'max-age=0, max-age=60' }, 0, { ttl: 0, shared: false }],
    [{ 'cache-control': 'public, s-maxage=0, s-maxage=60' }, 60_000, { ttl: 0, shared: false }],
  ])('%p (default ttl %p) → %p', (headers, defaultTtl, expected) => {
    expect(storability(200, headers, defaultTtl, 300_000)).toEqual(expected);
  });

  it('stores only 200 answers', () => {
    expect(storability(404, { 'cache-control': 'public, max-age=60' }, 0, 300_000).ttl).toBe(0);
  });
});
