/**
 * The request target sent upstream: `path`, then `?` and the query byte for byte as the client sent it.
 * `emptyQuery` keeps a bare `?` (`/a?` stays `/a?`): the one query an empty string cannot tell from none.
 *
 * @example
 * joinPathAndQuery('/orders', 'a=1&a=2') // '/orders?a=1&a=2'
 * joinPathAndQuery('/orders', '', true)  // '/orders?'
 */
export function joinPathAndQuery(path: string, query: string, emptyQuery = false): string {
  if (query !== '') return `${path}?${query}`;
  return emptyQuery ? `${path}?` : path;
}

/** Whether `target` ends in a bare `?`, given the raw `query` (`''`) that `normalizeRequestTarget` returned for it. */
export function endsInBareQuery(target: string, query: string): boolean {
  return query === '' && target.charCodeAt(target.length - 1) === 0x3f; // '?'
}
