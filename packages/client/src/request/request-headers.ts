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

