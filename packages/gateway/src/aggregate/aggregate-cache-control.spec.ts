import { storability } from '../cache/cache-control.js';
import { aggregateCacheHeaders } from './aggregate-cache-control.js';

describe('aggregateCacheHeaders', () => {
  it('says nothing when no leg does (the route defaultTtl applies), or when there is no HTTP leg', () => {
    expect(aggregateCacheHeaders([{}, { 'content-type': 'application/json' }])).toEqual({});
    expect(aggregateCacheHeaders([])).toEqual({});
  });

  it('keeps the smallest freshness; public only when every leg is shared', () => {
    expect(aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60' }, { 'cache-control': 's-maxage=30, max-age=5' }])).toEqual({ 'cache-control': 'public, max-age=30' });
    expect(aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60' }, { 'cache-control': 'max-age=10' }])).toEqual({ 'cache-control': 'max-age=10' });
  });

  it("gives max-age=0 when a leg says nothing beside legs with a freshness: that leg's data is kept no longer than it would be alone", () => {
    // Alone, the silent leg's answer is kept only for the route's defaultTtl (0 by default, never with a credential).
    expect(aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60' }, {}])).toEqual({ 'cache-control': 'max-age=0' });
    expect(aggregateCacheHeaders([{ 'cache-control': 'private, max-age=60' }, { 'content-type': 'application/json' }])).toEqual({ 'cache-control': 'private, max-age=0' });
    expect(storability(200, aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60' }, {}]), 60_000, 300_000).ttl).toBe(0);
  });

  it("counts a leg's Age (RFC 9111 §4.2.3): what is left of its freshness, as for a proxied answer", () => {
    expect(aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60', age: '50' }, { 'cache-control': 'public, max-age=30' }])).toEqual({ 'cache-control': 'public, max-age=10' });
    const stale = aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60', age: '90' }]);
    expect(stale).toEqual({ 'cache-control': 'public, max-age=0' });
    expect(storability(200, stale, 60_000, 300_000).ttl).toBe(0);
  });

  it('reads s-maxage and max-age as a proxied answer does: a bare or malformed s-maxage is neither shared nor freshness', () => {
    for (const leg of [{ 'cache-control': 's-maxage, max-age=20' }, { 'cache-control': 's-maxage=soon, max-age=20' }]) {
      expect(aggregateCacheHeaders([leg])).toEqual({ 'cache-control': 'max-age=20' });
      expect(storability(200, leg, 60_000, 300_000)).toEqual({ ttl: 20_000, shared: false });
    }
  });

  it('is private when a leg is, and no-store when a leg forbids storing or sets a cookie', () => {
    expect(aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60' }, { 'cache-control': 'private, max-age=10' }])).toEqual({ 'cache-control': 'private, max-age=10' });
    for (const leg of [{ 'cache-control': 'no-store' }, { 'cache-control': 'no-cache' }, { 'set-cookie': 'a=b' }, { vary: '*' }]) {
      const headers = aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60' }, leg]);
      expect(headers['cache-control']).toBe('no-store');
      expect(storability(200, headers, 60_000, 300_000).ttl).toBe(0);
    }
  });

  it("joins the legs' Vary names", () => {
    expect(aggregateCacheHeaders([{ vary: 'Accept-Language' }, { vary: ['Origin', 'accept-language'] }])).toEqual({ vary: 'accept-language, origin' });
  });
});
