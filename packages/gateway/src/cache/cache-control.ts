import { headerValues } from '../edge/header-map.js';

/** Parses `Cache-Control` (repeated headers included): lower-case directive names, `true` for a bare one. @internal */
export function parseCacheControl(value: string | string[] | undefined): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const line of headerValues(value)) {
    for (const part of line.split(',')) {
      const [name, ...rest] = part.trim().split('=');
      if (!name) continue;
      directives.set(name.toLowerCase(), rest.length > 0 ? rest.join('=').replace(/^"|"$/g, '') : true);
    }
  }
  return directives;
}

/** A directive's delta-seconds (RFC 9111 §1.2.2), `undefined` when bare or malformed. @internal */
export const seconds = (value: string | true | undefined): number | undefined =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;

/** How old an answer already is, in ms: its `Age` (RFC 9111 §5.1), 0 when it has none. @internal */
export const ageOf = (headers: Record<string, string | string[] | undefined>): number => (seconds(headers.age as string | undefined) ?? 0) * 1000;

/** How a response may be cached. @internal */
export interface Storability {
  /** Freshness in ms (0: not stored). */
  readonly ttl: number;
  /** True when any caller may be served it (`public` or `s-maxage`); else only the identity it was fetched for. */
  readonly shared: boolean;
}

/**
 * Whether and how long a gateway cache may keep a response: never with `no-store`, `private`, `no-cache`,
 * `Set-Cookie` or `Vary: *`; freshness from `s-maxage`, else `max-age`, else the route's `defaultTtl`, capped
 * by `maxTtl`, less the answer's `Age`. @internal
 */
export function storability(status: number, headers: Record<string, string | string[] | undefined>, defaultTtl: number, maxTtl: number): Storability {
  const none = { ttl: 0, shared: false };
  if (status !== 200) return none;
  const cc = parseCacheControl(headers['cache-control']);
  if (cc.has('no-store') || cc.has('private') || cc.has('no-cache')) return none;
  if (headers['set-cookie'] !== undefined) return none;
  if (varyNames(headers).includes('*')) return none;
  const sMaxAge = seconds(cc.get('s-maxage'));
  const maxAge = seconds(cc.get('max-age'));
  const lifetime = Math.min(maxTtl, sMaxAge !== undefined ? sMaxAge * 1000 : maxAge !== undefined ? maxAge * 1000 : defaultTtl);
  const ttl = Math.max(0, lifetime - ageOf(headers)); // what is left of it
  return ttl > 0 ? { ttl, shared: cc.has('public') || sMaxAge !== undefined } : none;
}

/** Request header names a response varies on (lower-case). @internal */
export function varyNames(headers: Record<string, string | string[] | undefined>): string[] {
  return headerValues(headers.vary).flatMap((line) => line.split(',')).map((name) => name.trim().toLowerCase()).filter(Boolean);
}
