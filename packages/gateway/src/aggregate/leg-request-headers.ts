/**
 * Request headers that describe the incoming request's own body or ask for a variant of its own answer (a
 * representation, a range, a condition on its validators): a leg is another request, sent without a body and
 * answered in plain JSON, so none of them applies to it. `Accept-Encoding` would let a leg answer compressed
 * bytes the gateway could not parse; `If-None-Match` a `304` the gateway could not merge.
 */
const NOT_FOR_LEGS = new Set(['content-length', 'content-type', 'content-encoding', 'content-language', 'content-location', 'content-range', 'digest', 'content-digest', 'accept', 'accept-encoding', 'range', 'if-range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since']);

/**
 * The headers of an aggregation route's HTTP legs: those admission built for the request (as a proxied route
 * forwards them) without the ones about the incoming request's body or answer ({@link NOT_FOR_LEGS}), asking for
 * JSON. Built once per request, shared by its legs. @internal
 */
export function legRequestHeaders(forwarded: Readonly<Record<string, string | string[]>>): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const name of Object.keys(forwarded)) if (!NOT_FOR_LEGS.has(name)) headers[name] = forwarded[name];
  headers.accept = 'application/json';
  return headers;
}

/** `shared` with a leg's own `headers` set over it (a new object when it has any). @internal */
export function withLegHeaders(shared: Record<string, string | string[]>, own: Readonly<Record<string, string>> | undefined): Record<string, string | string[]> {
  return own === undefined ? shared : { ...shared, ...own };
}
