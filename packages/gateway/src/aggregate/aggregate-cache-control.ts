import { ageOf, parseCacheControl, seconds, varyNames } from '../cache/cache-control.js';

type AnswerHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * What an aggregated answer may say about its caching, from its HTTP legs' answers (TCP legs say nothing and
 * limit nothing): `Cache-Control` and `Vary`, so the gateway's cache (and any cache after it) keeps it no longer
 * and no wider than every leg allows. `no-store` when a leg forbids storing (`no-store`, `no-cache`, `Set-Cookie`,
 * `Vary: *`); else `private` when a leg is private; `public` only when every HTTP leg is (`public` or
 * `s-maxage`); `max-age` the smallest freshness a leg has left (`s-maxage`, else `max-age`, less its `Age`), 0 when
 * a leg gives none beside legs that do. `Vary` is the union of
 * the legs' (the legs were sent the request's headers). Nothing when no leg says anything: the route's
 * `cache.defaultTtl` then applies, as to an upstream answer without `Cache-Control`. @internal
 *
 * @example
 * aggregateCacheHeaders([{ 'cache-control': 'public, max-age=60' }, { 'cache-control': 'max-age=10', vary: 'Accept-Language' }])
 * // { 'cache-control': 'max-age=10', vary: 'accept-language' }
 */
export function aggregateCacheHeaders(legs: readonly AnswerHeaders[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const vary = new Set<string>();
  let noStore = false;
  let isPrivate = false;
  let allShared = legs.length > 0;
  let freshness: number | undefined;
  let silent = false;
  for (const leg of legs) {
    const cc = parseCacheControl(leg['cache-control']);
    for (const name of varyNames(leg)) vary.add(name);
    if (cc.has('no-store') || cc.has('no-cache') || leg['set-cookie'] !== undefined) noStore = true;
    if (cc.has('private')) isPrivate = true;
    const sMaxAge = seconds(cc.get('s-maxage'));
    if (!cc.has('public') && sMaxAge === undefined) allShared = false;
    const given = sMaxAge ?? seconds(cc.get('max-age'));
    // What is left of it, the leg's Age counted (RFC 9111 §4.2.3).
    if (given !== undefined) freshness = Math.min(freshness ?? Number.POSITIVE_INFINITY, Math.max(0, given - ageOf(leg) / 1000));
    else silent = true;
  }
  // A leg that gives no freshness beside legs that do: kept as long as they allow, its data would outlive what its
  // own answer gets alone (the route's defaultTtl, 0 by default and with a credential), so nothing is kept.
  if (silent && freshness !== undefined) freshness = 0;
  if (vary.has('*')) noStore = true;
  if (noStore) headers['cache-control'] = 'no-store';
  else {
    const directives = [isPrivate ? 'private' : allShared ? 'public' : undefined, freshness === undefined ? undefined : `max-age=${freshness}`].filter(Boolean);
    if (directives.length > 0) headers['cache-control'] = directives.join(', ');
  }
  if (vary.size > 0 && !vary.has('*')) headers.vary = [...vary].sort().join(', ');
  return headers;
}
