import { VerifiedTokenCache } from './verified-token.cache.js';

describe('VerifiedTokenCache', () => {
  it('re-checks the expiry at every use', () => {
    const cache = new VerifiedTokenCache<string>(10, 60_000);
    cache.set('t', 'alice', 1_000, 0);
    expect(cache.get('t', 999)).toBe('alice');
    expect(cache.get('t', 1_000)).toBeUndefined();
    expect(cache.get('t', 500)).toBeUndefined(); // dropped once expired
  });

  it('keeps an entry no longer than maxAge, whatever the token says', () => {
    const cache = new VerifiedTokenCache<string>(10, 100);
    cache.set('t', 'alice', 1_000_000, 0);
    expect(cache.get('t', 99)).toBe('alice');
    expect(cache.get('t', 100)).toBeUndefined();
  });

  it('holds at most maxEntries, evicting the least recently used', () => {
    const cache = new VerifiedTokenCache<number>(2, 60_000);
    cache.set('a', 1, 10_000, 0);
    cache.set('b', 2, 10_000, 0);
    expect(cache.get('a', 1)).toBe(1); // a is now the most recent
    cache.set('c', 3, 10_000, 1);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 2)).toBeUndefined();
    expect([cache.get('a', 2), cache.get('c', 2)]).toEqual([1, 3]);
  });

  it('stores nothing with maxEntries 0', () => {
    const cache = new VerifiedTokenCache<number>(0, 60_000);
    cache.set('a', 1, 10_000, 0);
    expect(cache.get('a', 1)).toBeUndefined();
  });
});
