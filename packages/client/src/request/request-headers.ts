/** @internal Outgoing headers, lower-case: service defaults, then propagated ones, then the request's own. */
export function buildHeaders(
  defaults: Readonly<Record<string, string>>,
  propagated: Readonly<Record<string, string>> | undefined,
  own: Record<string, string | string[] | undefined> | undefined,
  contentType: string | undefined,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { ...defaults, ...propagated };
  if (own !== undefined) {
    for (const name of Object.keys(own)) {
      const value = own[name];
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
  }
  if (contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = contentType;
  return headers;
}

/** @internal A `Retry-After` value in ms (seconds or an HTTP date), `undefined` when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
