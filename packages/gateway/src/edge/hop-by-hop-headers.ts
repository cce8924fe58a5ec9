import { headerValues, type HeaderMap } from './header-map.js';

/**
 * Headers meaningful for one connection only (RFC 9110 §7.6.1, plus the legacy ones proxies still see):
 * never forwarded, in either direction.
 */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

const HOP_BY_HOP: ReadonlySet<string> = new Set(HOP_BY_HOP_HEADERS);

/** True for a (lower-case) name of {@link HOP_BY_HOP_HEADERS}. @internal */
export const isHopByHopHeader = (lower: string): boolean => HOP_BY_HOP.has(lower);

/**
 * The (lower-case) names that `Connection` header values list beyond the fixed hop-by-hop ones, or `undefined`
 * when there are none (most messages): hop-by-hop too for this message. @internal
 */
export function connectionNamedHeaders(values: Iterable<string>): Set<string> | undefined {
  let named: Set<string> | undefined;
  for (const value of values) {
    // Most messages say just `keep-alive`: nothing to split.
    if (HOP_BY_HOP.has(value)) continue;
    for (const name of value.split(',')) {
      const trimmed = name.trim().toLowerCase();
      if (trimmed && !HOP_BY_HOP.has(trimmed)) (named ??= new Set()).add(trimmed);
    }
  }
  return named;
}

/**
 * A copy of `headers` without hop-by-hop headers and without every header the `Connection` header names
 * (RFC 9110 §7.6.1: `Connection: close, x-secret` makes `x-secret` hop-by-hop). Use it on requests before they
 * go upstream and on responses before they go back, then add the gateway's own headers.
 *
 * @example
 * stripHopByHopHeaders({ connection: 'keep-alive, x-internal', 'x-internal': '1', accept: '*\/*' }) // { accept: '*\/*' }
 */
export function stripHopByHopHeaders<T extends HeaderMap>(headers: T): Partial<T> {
  // Runs twice per proxied request: the fixed names are one shared Set, and only names a `Connection` header
  // adds beyond them get a Set of their own (most requests have none).
  const named = connectionNamedHeaders(headerValues(headers.connection));
  const kept: Partial<T> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && named?.has(lower) !== true) (kept as HeaderMap)[name] = value;
  }
  return kept;
}
