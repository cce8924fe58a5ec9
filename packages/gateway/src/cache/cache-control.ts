import { headerValues } from '../edge/header-map.js';

/** Parses `Cache-Control` (repeated headers included): lower-case directive names, `true` for a bare one. @internal */
export function parseCacheControl(value: string | string[] | undefined): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const line of headerValues(value)) {
    for (const part of line.split(',')) {
      const [name, ...rest] = part.trim().split('=');
      if (!name) continue;
      // A directive given twice keeps its first value (RFC 9111 §4.2.1): `max-age=0, max-age=60` is not 60 s.
      if (!directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), rest.length > 0 ? rest.join('=').replace(/^"|"$/g, '') : true);
    }
  }
  return directives;
}

/** A directive's delta-seconds (RFC 9111 §1.2.2), `undefined` when bare or malformed. @internal */
export const seconds = (value: string | true | undefined): number | undefined =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;

/** How old an answer already is, in ms: its `Age` (RFC 9111 §5.1), 0 when it has none. @internal */
export const ageOf = (headers: Record<string, string | string[] | undefined>): number => (seconds(headers.age as string | undefined) ?? 0) * 1000;

/** An HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms) in epoch ms, else NaN. */
function httpDate(value: string | string[] | undefined): number {
  const text = headerValues(value)[0]?.trim() ?? '';
  if (/^[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return Date.parse(text);
  return /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/.test(text) ? Date.parse(`${text} GMT`) : Number.NaN;
}

/** The freshness `Expires` gives, in ms from the answer's `Date` (else now): 0 when invalid ("0"), i.e. already expired (RFC 9111 §5.3). */
function expiresFreshness(headers: Record<string, string | string[] | undefined>): number {
  const expires = httpDate(headers.expires);
  const date = httpDate(headers.date);
  return Number.isNaN(expires) ? 0 : Math.max(0, expires - (Number.isNaN(date) ? Date.now() : date));
}

/** How a response may be cached. @internal */
export interface Storability {
  /** Freshness in ms (0: not stored). */
  readonly ttl: number;
  /** True when any caller may be served it (`public` or `s-maxage`); else only the identity it was fetched for. */
  readonly shared: boolean;
}

/**
 * Whether and how long a gateway cache may keep a response: never with `no-store`, `private`, `no-cache`,
 * `Set-Cookie` or `Vary: *`; freshness from `s-maxage`, else `max-age`, else `Expires`, else the route's `defaultTtl`, capped
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
  const given = sMaxAge !== undefined ? sMaxAge * 1000 : maxAge !== undefined ? maxAge * 1000 : headers.expires !== undefined ? expiresFreshness(headers) : defaultTtl;
  const lifetime = Math.min(maxTtl, given);
  const ttl = Math.max(0, lifetime - ageOf(headers)); // what is left of it
  return ttl > 0 ? { ttl, shared: cc.has('public') || sMaxAge !== undefined } : none;
}

/** Request header names a response varies on (lower-case). @internal */
export function varyNames(headers: Record<string, string | string[] | undefined>): string[] {
  return headerValues(headers.vary).flatMap((line) => line.split(',')).map((name) => name.trim().toLowerCase()).filter(Boolean);
}
