/**
 * The request target sent upstream: `path`, then `?` and the query as the client sent it, byte for byte (never
 * re-encoded or re-ordered). `emptyQuery` keeps a bare `?` (`/a?` is forwarded as `/a?`, not `/a`): the one
 * query that an empty string cannot tell apart from none.
 *
 * @example
 * joinPathAndQuery('/orders', 'a=1&a=2') // '/orders?a=1&a=2'
 * joinPathAndQuery('/orders', '', true)  // '/orders?'
 * joinPathAndQuery('/orders', '')        // '/orders'
 */
export function joinPathAndQuery(path: string, query: string, emptyQuery = false): string {
  if (query !== '') return `${path}?${query}`;
  return emptyQuery ? `${path}?` : path;
}

/**
 * Whether `target` (a request target whose raw query `normalizeRequestTarget` returned as `query`) ends in a
 * bare `?`: an empty query with its `?`, which `query` alone (`''`) cannot tell from none.
 */
export function endsInBareQuery(target: string, query: string): boolean {
  return query === '' && target.charCodeAt(target.length - 1) === 0x3f; // '?'
}
