/** Headers as Node gives them (`IncomingHttpHeaders`, `OutgoingHttpHeaders`): lower-case names. */
export type HeaderMap = Record<string, string | string[] | number | undefined>;

/** A header's values as a flat list of strings (repeated headers and arrays alike). @internal */
export function headerValues(value: HeaderMap[string]): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}

/** A lower-case header name with `_` read as `-`, as CGI, WSGI and PHP read it (`x_user_id` is their `X-User-Id`). @internal */
export const dashed = (lower: string): string => (lower.includes('_') ? lower.replaceAll('_', '-') : lower);
